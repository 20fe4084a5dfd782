// @vitest-environment happy-dom
/** A keyword that matches a session's transcript but not its preview shows on the card as a marked snippet. */
import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "@/components/app";
import { createMemoryFilterPersistence } from "@/utils/filters";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { Session } from "@/utils/protocol";
import { openViewsStore } from "@/utils/saved-views";
import { makeSession } from "../fixtures/frames";
import { createFakePanelPort, type FakePanelPort, makePanelState } from "../helpers/fake-panel-port";
import { flushed, mount, rendered, unmountAll } from "../helpers/render";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
let model: Panel;
let port: FakePanelPort;
afterEach(() => {
  unmountAll();
  model?.[Symbol.dispose]();
});

describe("keyword snippet on the card", () => {
  it("shows where an earlier message matched, with the match marked; the preview when the preview matches", async () => {
    port = createFakePanelPort();
    // The user's stores wired by createPanel (row filter, highlight, snippets, the worker's message feed).
    model = createPanel(port, {
      schedule: immediately,
      tickMs: 0,
      clock: () => T0,
      userStores: {
        filterStorage: createMemoryFilterPersistence(),
        openViews: (id) => openViewsStore(id, { idbFactory: new IDBFactory() }),
      },
    });
    const layer = model.userStores()?.filters;
    if (!layer) throw new Error("createPanel made no filter layer");
    const m = mount(<App panel={model} openOptions={() => undefined} filters={layer} />);
    const s1 = makeSession({ id: "ses_1", preview: "Can you help me with that?" }) as Session;
    const s2 = makeSession({ id: "ses_2", preview: "The flamingo lamp is fine now" }) as Session;
    flushed(() => port.send({ type: "init", state: makePanelState({ sessions: [s1, s2] }) }));
    flushed(() =>
      port.send({
        type: "patch",
        patch: {
          messages: [
            { session_id: "ses_1", id: "m1", text: "My Flamingo-shaped lamp arrived broken." },
            { session_id: "ses_1", id: "m2", text: "Can you help me with that?" },
            { session_id: "ses_2", id: "m1", text: "The flamingo lamp is fine now" },
          ],
        },
      }),
    );
    // The stored filter loads, then the worker answers the view.
    const toggle = await rendered("the filters toggle", () =>
      m.root.querySelector<HTMLButtonElement>(".filters-toggle"),
    );
    flushed(() => toggle.click());
    const input = m.root.querySelector<HTMLInputElement>(".flt-search") as HTMLInputElement;
    flushed(() => {
      input.value = "flamingo";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    const card = (id: string) => m.root.querySelector<HTMLElement>(`[data-session-id="${id}"]`);
    const snippet = card("ses_1")?.querySelector(".flt-snippet");
    expect(snippet?.textContent).toBe("In the conversation: My Flamingo-shaped lamp arrived broken.");
    expect(snippet?.querySelector("mark.flt-hit")?.textContent).toBe("Flamingo");
    expect(card("ses_1")?.getAttribute("aria-description")).toContain(
      "keyword found in the conversation: My Flamingo-shaped lamp arrived broken.",
    );
    // The preview already shows the match: no snippet, the preview is marked.
    expect(card("ses_2")?.querySelector(".flt-snippet")).toBeNull();
    expect(card("ses_2")?.querySelector(".card-preview mark.flt-hit")?.textContent).toBe("flamingo");
    // Clearing the keyword brings the preview back.
    flushed(() => {
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(card("ses_1")?.querySelector(".flt-snippet")).toBeNull();
    expect(card("ses_1")?.querySelector(".card-preview")?.textContent).toBe("Can you help me with that?");
  });
});
