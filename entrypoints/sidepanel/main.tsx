import { render } from "preact";
import { browser } from "wxt/browser";
import { PanelRoot } from "@/components/panel-root";
import { createSessionFilterPersistence } from "@/utils/filters";
import {
  connectRuntimePort,
  displayPrefsFromSettings,
  followHandoffThresholds,
  followSettings,
  readFocus,
} from "@/utils/panel";
import "@/components/panel.css";

const root = document.getElementById("app");
if (root) {
  render(
    <PanelRoot
      makePort={() => connectRuntimePort(browser.runtime)}
      openOptions={() => void browser.runtime.openOptionsPage()}
      options={{ storage: localStorage }}
      filterStorage={createSessionFilterPersistence(browser.storage?.session ?? null)}
      initialFocus={readFocus(browser.storage.session)}
      followThresholds={(apply) =>
        followHandoffThresholds(browser.storage.local, browser.storage.onChanged, apply)
      }
      followDisplayPrefs={(apply) =>
        followSettings(browser.storage.local, browser.storage.onChanged, (s) =>
          apply(displayPrefsFromSettings(s)),
        )
      }
    />,
    root,
  );
}
