import { render } from "preact";
import { browser } from "wxt/browser";
import { browserSocket } from "@/utils/connection/socket";
import { testConnection } from "@/utils/connection/test-connection";
import { OptionsForm } from "./options-form";
import { createOptionsModel, SETTINGS_KEY } from "./options-model";
import "./options.css";

const model = createOptionsModel({
  load: async () => (await browser.storage.local.get(SETTINGS_KEY))[SETTINGS_KEY],
  save: (settings) => browser.storage.local.set({ [SETTINGS_KEY]: settings }),
  test: (settings) => testConnection(settings, { createSocket: browserSocket, origin: location.origin }),
});

const root = document.getElementById("app");
if (root) {
  render(<OptionsForm model={model} />, root);
  void model.load();
}
