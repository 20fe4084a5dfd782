// @vitest-environment happy-dom
import { computed, signal } from "@preact/signals";
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { Markdown } from "@/components/markdown";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";
import { createFakePanelPort, type FakePanelPort, makePanelState } from "../helpers/fake-panel-port";

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

describe("panel model row filter", () => {
  it("narrows the list (unified and grouped) to the filter's ids and follows it live", () => {
    setup([ses("ses_a", 1), ses("ses_b", 3, { status: "error" }), ses("ses_c", 2)]);
    const only = signal<ReadonlySet<string> | null>(null);
    model.list.setRowFilter(only);
    expect(model.list.rows.value).toEqual(["ses_b", "ses_c", "ses_a"]);
    only.value = new Set(["ses_a", "ses_b"]);
    expect(model.list.rows.value).toEqual(["ses_b", "ses_a"]);
    expect(model.list.listCount.value).toBe(2);
    expect(model.list.sessionCount.value).toBe(3); // the total is not narrowed
    model.list.setView("grouped");
    const ids = model.list.rows.value.filter((r) => typeof r === "string");
    expect(ids).toEqual(["ses_b", "ses_a"]);
    model.list.setRowFilter(null);
    expect(model.list.listCount.value).toBe(3);
  });

  it("recomputes the session list when a session changes without moving", () => {
    setup([ses("ses_a", 5), ses("ses_b", 3)]);
    const errors = computed(() =>
      model.list.sessions.value.filter((s) => s.status === "error").map((s) => s.id),
    );
    expect(errors.value).toEqual([]);
    // same last_activity_at: the order does not move, the status does change
    port.send({ type: "patch", patch: { upserts: [ses("ses_b", 3, { status: "error" })] } });
    expect(model.list.order.value).toEqual(["ses_a", "ses_b"]);
    expect(errors.value).toEqual(["ses_b"]);
  });

  it("exposes the highlight keyword it is given", () => {
    setup([]);
    const k = signal("refund");
    model.list.setHighlight(k);
    expect(model.list.highlight.value).toBe("refund");
    k.value = "";
    expect(model.list.highlight.value).toBe("");
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
