// @vitest-environment happy-dom
import { signal } from "@preact/signals";
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { Markdown } from "@/components/markdown";
import { EMPTY_FILTER, type FilterSpec } from "@/utils/filters";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";
import {
  createFakePanelPort,
  type FakePanelPort,
  makePanelState,
  viewAnswer,
} from "../helpers/fake-panel-port";

const T0 = Date.parse("2026-06-24T16:30:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const ses = (id: string, activity: number, extra: Record<string, unknown> = {}) =>
  makeSession({ id, last_activity_at: at(activity), ...extra }) as Session;

let model: Panel;
let port: FakePanelPort;
function setup(sessions: Session[]) {
  port = createFakePanelPort();
  model = createPanel(port, { schedule: immediately, tickMs: 0, clock: () => T0 });
  port.send({ type: "init", state: makePanelState({ sessions }) });
}
afterEach(() => model?.[Symbol.dispose]());

/** The list slice's filter goes to the worker with its view; the answers show only what matches. */
describe("the list's filter", () => {
  const filterOf = (over: Partial<FilterSpec>) => ({
    spec: signal<FilterSpec>({ ...EMPTY_FILTER, ...over }),
    ready: signal(true),
  });
  const shown = () => model.list.rows.value.filter((r): r is string => typeof r === "string");

  it("narrows the list (unified and grouped) to what matches and follows it live", () => {
    setup([ses("ses_a", 1), ses("ses_b", 3, { status: "error" }), ses("ses_c", 2)]);
    expect(shown()).toEqual(["ses_b", "ses_c", "ses_a"]);
    const source = filterOf({ statuses: ["error"] });
    model.list.setFilter(source);
    expect(model.list.rows.value).toEqual(["ses_b"]);
    expect(model.list.listCount.value).toBe(1);
    expect(model.list.sessionCount.value).toBe(3); // the total is not narrowed
    // A session that starts matching joins as its change arrives.
    port.send({ type: "patch", patch: { upserts: [ses("ses_a", 4, { status: "error" })] } });
    expect(shown()).toEqual(["ses_a", "ses_b"]);
    model.list.setView("grouped");
    expect(shown()).toEqual(["ses_a", "ses_b"]);
    model.list.setFilter(null);
    expect(model.list.listCount.value).toBe(3);
  });

  it("a session that changes without moving is re-judged", () => {
    setup([ses("ses_a", 5), ses("ses_b", 3)]);
    model.list.setFilter(filterOf({ statuses: ["error"] }));
    expect(shown()).toEqual([]);
    // Same last_activity_at: the order does not move, the status does change.
    port.send({ type: "patch", patch: { upserts: [ses("ses_b", 3, { status: "error" })] } });
    expect(shown()).toEqual(["ses_b"]);
  });

  it("waits for a stored filter to load before asking, so an unfiltered list never flashes", () => {
    setup([ses("ses_a", 1), ses("ses_b", 3, { status: "error" })]);
    const source = { spec: signal<FilterSpec>(EMPTY_FILTER), ready: signal(false) };
    const before = port.posted.filter((m) => m.type === "view").length;
    model.list.setFilter(source);
    expect(port.posted.filter((m) => m.type === "view")).toHaveLength(before);
    source.spec.value = { ...EMPTY_FILTER, statuses: ["error"] };
    source.ready.value = true;
    expect(port.posted.filter((m) => m.type === "view")).toHaveLength(before + 1);
    expect(shown()).toEqual(["ses_b"]);
  });

  it("marks the filter's keyword", () => {
    setup([]);
    const source = filterOf({ keyword: "refund" });
    model.list.setFilter(source);
    expect(model.list.highlight.value).toBe("refund");
    source.spec.value = EMPTY_FILTER;
    expect(model.list.highlight.value).toBe("");
  });

  it("ignores an answer to an older filter that arrives after a newer one was asked for", () => {
    setup([ses("ses_a", 1), ses("ses_b", 3, { status: "error" })]);
    const stale = port.posted.filter((m) => m.type === "view").at(-1);
    model.list.setFilter(filterOf({ statuses: ["error"] }));
    expect(shown()).toEqual(["ses_b"]);
    const seq = stale?.type === "view" ? stale.spec.seq : -1;
    port.send(viewAnswer(seq, ["ses_b", "ses_a"]));
    expect(shown()).toEqual(["ses_b"]);
  });
});

describe("keyword highlighting in rendered markdown", () => {
  it("marks matches inside formatted text without parsing HTML", () => {
    const root = document.createElement("div");
    render(
      <Markdown
        text={"**Refund** of the <b>refund</b> is [here](https://x.example/refund)"}
        mode="markdown"
        keyword="refund"
      />,
      root,
    );
    const marks = [...root.querySelectorAll("mark.flt-hit")].map((m) => m.textContent);
    expect(marks).toEqual(["Refund", "refund"]); // the link's URL is not text: not marked
    expect(root.querySelector("b")).toBeNull(); // raw HTML stays literal text
    expect(root.textContent).toContain("<b>");
    expect(root.querySelector("a")?.getAttribute("href")).toBe("https://x.example/refund");
  });
});
