/** Renders Preact trees into a fresh container for happy-dom component tests. */
import { type ComponentChild, render } from "preact";
import { act } from "preact/test-utils";

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
