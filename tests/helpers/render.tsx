/** Renders Preact trees into a fresh container for happy-dom component tests. */
import { type ComponentChild, render } from "preact";
import { act } from "preact/test-utils";
import { until } from "./until";

export interface Mounted {
  root: HTMLElement;
  rerender(vnode: ComponentChild): void;
  unmount(): void;
}

const mounted = new Set<Mounted>();

export function mount(vnode: ComponentChild): Mounted {
  const root = document.createElement("div");
  document.body.append(root);
  act(() => render(vnode, root));
  const m: Mounted = {
    root,
    rerender(next) {
      act(() => render(next, root));
    },
    unmount() {
      act(() => render(null, root));
      root.remove();
      mounted.delete(m);
    },
  };
  mounted.add(m);
  return m;
}

export function unmountAll() {
  for (const m of [...mounted]) m.unmount();
}

/** Runs a state change and flushes Preact's render queue and effects. */
export function flushed(fn: () => void) {
  act(fn);
}

/** Waits (`until`) for `check` to return a value, letting Preact render before each look. */
export function rendered<T>(
  what: string,
  check: () => T | undefined | null | false,
  timeoutMs?: number,
): Promise<T> {
  return until(
    what,
    () => {
      flushed(() => {});
      return check();
    },
    timeoutMs,
  );
}
