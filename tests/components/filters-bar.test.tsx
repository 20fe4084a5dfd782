// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { FilterBar, FilterChips } from "@/components/filters";
import { createFilterModel, EMPTY_FILTER } from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";
import { createFilterQuery } from "../helpers/filter-query";
import { flushed, mount, rendered, unmountAll } from "../helpers/render";

afterEach(unmountAll);
const T0 = Date.parse("2026-06-24T16:30:00.000Z");

/** The bar over a filter model whose counts are the worker's real view query's answers. */
function setup() {
  const worker = createFilterQuery(
    [
      makeSession({ id: "s1", agent: { id: "a1", name: "Alpha", color: "#111111" }, channel: "web" }),
      makeSession({
        id: "s2",
        agent: { id: "a2", name: "Beta", color: "#222222" },
        channel: "whatsapp",
        priority: "urgent",
      }),
      makeSession({
        id: "s3",
        agent: { id: "a2", name: "Beta", color: "#222222" },
        status: "error",
        preview: "Refund?",
      }),
    ] as Session[],
    { now: T0 + 5 * 60_000 },
  );
  const filters = createFilterModel({
    count: worker.count,
    total: worker.total,
    seenAgents: worker.seenAgents,
  });
  worker.follow(filters);
  const m = mount(
    <div>
      <FilterBar filters={filters} />
      <FilterChips filters={filters} />
    </div>,
  );
  const q = <T extends Element = HTMLElement>(sel: string) => {
    const el = m.root.querySelector<T & Element>(sel);
    if (!el) throw new Error(`no ${sel}`);
    return el as T;
  };
  return { filters, m, q, worker };
}

const click = (el: Element) => flushed(() => (el as HTMLElement).click());
const type = (el: HTMLInputElement, value: string) =>
  flushed(() => {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
const key = (el: Element, k: string) =>
  flushed(() => el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })));

describe("filter bar", () => {
  it("toggles channel, priority and status with aria-pressed, and the count follows", () => {
    const { filters, q } = setup();
    expect(q(".flt-count").textContent).toBe("3 sessions");
    const wa = q<HTMLButtonElement>('.flt-toggle[data-value="whatsapp"]');
    expect(wa.getAttribute("aria-pressed")).toBe("false");
    click(wa);
    expect(wa.getAttribute("aria-pressed")).toBe("true");
    expect(filters.spec.value.channels).toEqual(["whatsapp"]);
    expect(q(".flt-count").textContent).toBe("1 of 3 sessions");
    click(q('.flt-toggle[data-value="error"]'));
    expect(q(".flt-count").textContent).toBe("0 of 3 sessions");
    click(wa);
    click(q('.flt-toggle[data-value="urgent"]'));
    expect(filters.spec.value).toMatchObject({ priorities: ["urgent"], statuses: ["error"], channels: [] });
    // only the five statuses of the issue are offered
    const statuses = [...q(".flt-bar").querySelectorAll("fieldset")]
      .find((f) => f.querySelector("legend")?.textContent === "Status")
      ?.querySelectorAll(".flt-toggle");
    expect([...(statuses ?? [])].map((b) => b.textContent)).toEqual([
      "Active",
      "Thinking",
      "Streaming",
      "Paused",
      "Error",
    ]);
  });

  it("agent multi-select with Select all, mixed state, and Escape", () => {
    const { filters, q, m } = setup();
    const button = q<HTMLButtonElement>(".flt-agents .flt-select-button");
    expect(button.textContent).toContain("All agents");
    click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
    const all = q<HTMLInputElement>(".flt-check-all input");
    expect(all.checked).toBe(true);
    const alpha = q<HTMLInputElement>('[data-agent-id="a1"] input');
    click(alpha);
    expect(filters.spec.value.agents).toEqual(["a2", "queue_human"]);
    expect(all.checked).toBe(false);
    expect(all.indeterminate).toBe(true);
    expect(button.textContent).toContain("2 agents");
    expect(q(".flt-count").textContent).toBe("2 of 3 sessions");
    click(all);
    expect(filters.spec.value.agents).toBe("all");
    click(all);
    expect(filters.spec.value.agents).toEqual([]);
    expect(button.textContent).toContain("No agents");
    key(q(".flt-popover"), "Escape");
    expect(m.root.querySelector(".flt-popover")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("offers every agent a session has had, and the Human queue before anyone was transferred to it", () => {
    const { m, q, worker } = setup();
    const names = () =>
      [...m.root.querySelectorAll(".flt-agents .flt-check[data-agent-id]")].map((l) => l.textContent);
    click(q(".flt-agents .flt-select-button"));
    expect(names()).toEqual(["Alpha", "Beta", "Human queue"]);
    // s1 is transferred to the human queue, then ends.
    const human = { id: "queue_human", name: "Human queue", color: "#6b7280" };
    flushed(() => worker.put({ ...(worker.sessions.get("s1") as Session), agent: human }));
    expect(names()).toEqual(["Beta", "Human queue", "Alpha"].sort((a, b) => a.localeCompare(b)));
    flushed(() => worker.drop("s1"));
    expect(names()).toEqual(["Alpha", "Beta", "Human queue"]);
    click(q('[data-agent-id="queue_human"] input'));
    expect(q(".flt-count").textContent).toBe("2 of 2 sessions");
  });

  it("duration: op + minutes, invalid minutes leave the filter alone", () => {
    const { filters, q, worker } = setup();
    const select = q<HTMLSelectElement>(".flt-duration select");
    const minutes = q<HTMLInputElement>(".flt-minutes");
    expect(minutes.disabled).toBe(true);
    flushed(() => {
      select.value = "longer";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(filters.spec.value.duration).toEqual({ op: "longer", minutes: 10 });
    type(minutes, "3");
    expect(filters.spec.value.duration).toEqual({ op: "longer", minutes: 3 });
    expect(q(".flt-count").textContent).toBe("3 of 3 sessions");
    type(minutes, "-2");
    expect(minutes.getAttribute("aria-invalid")).toBe("true");
    expect(filters.spec.value.duration).toEqual({ op: "longer", minutes: 3 });
    type(minutes, "6");
    expect(q(".flt-count").textContent).toBe("0 of 3 sessions");
    flushed(() => worker.setNow(worker.now + 2 * 60_000));
    expect(q(".flt-count").textContent).toBe("3 of 3 sessions"); // crossed the threshold live
    flushed(() => filters.replace({ ...EMPTY_FILTER, duration: { op: "shorter", minutes: 42 } }));
    expect(minutes.value).toBe("42");
    expect(select.value).toBe("shorter");
  });

  it("keyword input filters as you type; Escape clears", () => {
    const { filters, q } = setup();
    const input = q<HTMLInputElement>(".flt-search");
    type(input, "refund");
    expect(filters.keyword.value).toBe("refund");
    expect(q(".flt-count").textContent).toBe("1 of 3 sessions");
    key(input, "Escape");
    expect(filters.spec.value.keyword).toBe("");
  });
});

describe("filter chips", () => {
  it("shows one removable chip per filter; buttons and Delete remove, focus moves on", () => {
    const { filters, q, m } = setup();
    flushed(() => filters.update({ channels: ["whatsapp"], priorities: ["urgent"], keyword: "x" }));
    const labels = () => [...m.root.querySelectorAll(".flt-chip-label")].map((e) => e.textContent);
    expect(labels()).toEqual(["Channel: WhatsApp", "Priority: Urgent", "Keyword: “x”"]);
    const removes = () => [...m.root.querySelectorAll<HTMLButtonElement>(".flt-chip-remove")];
    expect(removes()[1]?.getAttribute("aria-label")).toBe("Remove filter Priority: Urgent");
    click(removes()[1] as HTMLButtonElement);
    expect(labels()).toEqual(["Channel: WhatsApp", "Keyword: “x”"]);
    expect(document.activeElement).toBe(removes()[1]);
    key(removes()[0] as HTMLButtonElement, "Delete");
    expect(labels()).toEqual(["Keyword: “x”"]);
    expect(m.root.querySelector(".flt-clear")).toBeNull(); // only with two or more chips
    key(removes()[0] as HTMLButtonElement, "Backspace");
    expect(labels()).toEqual([]);
    expect(document.activeElement).toBe(q(".flt-count"));
  });

  it("Clear all removes every filter", () => {
    const { filters, q } = setup();
    flushed(() => filters.update({ statuses: ["error"], agents: ["a2"] }));
    click(q(".flt-clear"));
    expect(filters.active.value).toBe(false);
  });

  it("shows a restore problem and dismisses it", async () => {
    const filters = createFilterModel({
      storage: {
        load: async () => ({ spec: null, problem: "The saved filters were unreadable" }),
        save: async () => {},
      },
    });
    const m = mount(<FilterChips filters={filters} />);
    const alert = await rendered("the restore problem's alert", () => m.root.querySelector("[role=alert]"));
    expect(alert.textContent).toContain("unreadable");
    click(m.root.querySelector(".flt-problem .flt-link") as Element);
    expect(m.root.querySelector("[role=alert]")).toBeNull();
  });
});
