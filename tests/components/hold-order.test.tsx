// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HOLD_MS, useHeldOrder } from "@/components/hold-order";
import { flushed, mount, unmountAll } from "../helpers/render";

function List({ items }: { items: readonly string[] }) {
  const order = useHeldOrder(items);
  return (
    <ul {...order.handlers} data-held={order.held ? "true" : "false"}>
      {order.value.map((x) => (
        <li key={x}>{x}</li>
      ))}
    </ul>
  );
}

const shown = (root: HTMLElement) => [...root.querySelectorAll("li")].map((li) => li.textContent);
const fire = (el: Element, type: string) =>
  flushed(() => {
    el.dispatchEvent(new Event(type, { bubbles: true }));
  });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  unmountAll();
  vi.useRealTimers();
});

describe("useHeldOrder: the list holds still under a busy pointer", () => {
  it("follows the live order while the pointer is away", () => {
    const m = mount(<List items={["a", "b", "c"]} />);
    m.rerender(<List items={["c", "a", "b"]} />);
    expect(shown(m.root)).toEqual(["c", "a", "b"]);
  });

  it("holds the order while the pointer moves over it, and lets go HOLD_MS after it rests", () => {
    const m = mount(<List items={["a", "b", "c"]} />);
    const ul = m.root.querySelector("ul") as HTMLElement;
    fire(ul, "pointermove");
    m.rerender(<List items={["c", "a", "b"]} />);
    expect(shown(m.root)).toEqual(["a", "b", "c"]);
    expect(ul.dataset.held).toBe("true");
    flushed(() => vi.advanceTimersByTime(HOLD_MS - 10));
    fire(ul, "pointermove"); // still aiming: the hold starts again
    flushed(() => vi.advanceTimersByTime(HOLD_MS - 10));
    expect(shown(m.root)).toEqual(["a", "b", "c"]);
    flushed(() => vi.advanceTimersByTime(20));
    expect(shown(m.root)).toEqual(["c", "a", "b"]);
    expect(ul.dataset.held).toBe("false");
  });

  it("holds from a press until after its release, however long the press", () => {
    const m = mount(<List items={["a", "b"]} />);
    const ul = m.root.querySelector("ul") as HTMLElement;
    fire(ul, "pointerdown");
    m.rerender(<List items={["b", "a"]} />);
    flushed(() => vi.advanceTimersByTime(HOLD_MS * 5));
    expect(shown(m.root)).toEqual(["a", "b"]);
    fire(ul, "pointerup");
    expect(shown(m.root)).toEqual(["a", "b"]); // the click that follows the release still finds its row
    flushed(() => vi.advanceTimersByTime(HOLD_MS));
    expect(shown(m.root)).toEqual(["b", "a"]);
  });

  it("lets go when the pointer leaves the list", () => {
    const m = mount(<List items={["a", "b"]} />);
    const ul = m.root.querySelector("ul") as HTMLElement;
    fire(ul, "pointermove");
    m.rerender(<List items={["b", "a"]} />);
    expect(shown(m.root)).toEqual(["a", "b"]);
    fire(ul, "pointerleave");
    flushed(() => vi.advanceTimersByTime(0));
    expect(shown(m.root)).toEqual(["b", "a"]);
  });
});
