import { useModel } from "@preact/signals";
import { createPanel, type Panel, type PanelOptions } from "./create-panel";
import type { PanelPort } from "./port";

/** Creates the panel for a component's lifetime; disposing it closes the port. */
export function usePanel(makePort: () => PanelPort, options?: PanelOptions): Panel {
  return useModel(() => createPanel(makePort(), options));
}
