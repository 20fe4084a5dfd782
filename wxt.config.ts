import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";

/**
 * Public half of the extension's signing key: it fixes the Chrome extension id
 * to EXTENSION_ID (utils/extension-id.ts), so the gateway's origin allowlist can
 * name it. The private half is not needed for unpacked loading.
 */
const MANIFEST_KEY =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsDNaTaKdC8vdEGVmCMmi98gO1lMWXEH+UF2A/SPUpzdEtX0caLCQWkgeF7sZdTg8jkzzFlgePkG4/rb2zQXRSSazx96j/hUA0qg69sunjVxHGBQnF6ld3wA5hbzyvo3V50NpPGBP4kJ0Gd7ex2alOOrF5nQfc7RGv6z2YP/bCYn6WPgdBOnaWg8h6AdPe+6y/NBUBkw9pMXiU6keprtoSxuQktnh4Ney26AMHgxSMJkSWDdcAAM705L12rwJFxiAInr3Fdz6H5X/smLIAp7PdJf73odNzTdCDHJ/0ynjgaIPnZklWI/tvRcpFfdByooWW4Upkna1xu5i9UpmpG9wKwIDAQAB";

const ICONS = { 16: "icon/16.png", 32: "icon/32.png", 48: "icon/48.png", 128: "icon/128.png" };
/** Suggested shortcut to open the panel; users can change it in chrome://extensions/shortcuts (Firefox: about:addons). */
const OPEN_PANEL_KEY = "Alt+Shift+L";

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ["@wxt-dev/webextension-polyfill"],
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    // WXT makes Firefox's sidebar_action from the sidepanel entrypoint; give it the icons too.
    "build:manifestGenerated": (_wxt, manifest) => {
      if (manifest.sidebar_action) manifest.sidebar_action.default_icon ??= ICONS;
    },
  },
  manifest: ({ browser }) => ({
    name: "Live Conversations",
    description:
      "Watch every live AI-agent conversation from a side panel and step in when needed: pause, override, transfer — audited.",
    key: browser === "chrome" ? MANIFEST_KEY : undefined,
    minimum_chrome_version: browser === "chrome" ? "116" : undefined,
    // offscreen: the alert sound plays from an offscreen document (Chrome MV3; Firefox plays it in its background page).
    permissions: ["storage", "alarms", "notifications", ...(browser === "chrome" ? ["offscreen"] : [])],
    // Firefox MV2 gets it as browser_action; clicking it opens the side panel / sidebar (utils/platform/panel-opener.ts).
    action: { default_title: "Live Conversations", default_icon: ICONS },
    icons: ICONS,
    commands: {
      // Chrome: the action's command, which opens the side panel (openPanelOnActionClick); Firefox: the sidebar's.
      [browser === "firefox" ? "_execute_sidebar_action" : "_execute_action"]: {
        suggested_key: { default: OPEN_PANEL_KEY },
        description: "Open the Live Conversations panel",
      },
    },
    browser_specific_settings:
      browser === "firefox"
        ? // 115: storage.session in MV2; sidebarAction.toggle from 73.
          { gecko: { id: "live-conversations@example.org", strict_min_version: "115.0" } }
        : undefined,
  }),
});
