import { useModel } from "@preact/signals";
import { createPanelModel, type PanelModel, type PanelModelOptions } from "./panel-model";
import type { PanelPort } from "./port";

/** Creates the panel model for a component's lifetime; disposing it closes the port. */
export function usePanelModel(makePort: () => PanelPort, options?: PanelModelOptions): PanelModel {
  return useModel(() => createPanelModel(makePort(), options));
}
