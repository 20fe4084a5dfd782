import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";

/**
 * Public half of the extension's signing key: it fixes the Chrome extension id
 * to EXTENSION_ID (utils/extension-id.ts), so the gateway's origin allowlist can
 * name it. The private half is not needed for unpacked loading.
 */
const MANIFEST_KEY =
  "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsDNaTaKdC8vdEGVmCMmi98gO1lMWXEH+UF2A/SPUpzdEtX0caLCQWkgeF7sZdTg8jkzzFlgePkG4/rb2zQXRSSazx96j/hUA0qg69sunjVxHGBQnF6ld3wA5hbzyvo3V50NpPGBP4kJ0Gd7ex2alOOrF5nQfc7RGv6z2YP/bCYn6WPgdBOnaWg8h6AdPe+6y/NBUBkw9pMXiU6keprtoSxuQktnh4Ney26AMHgxSMJkSWDdcAAM705L12rwJFxiAInr3Fdz6H5X/smLIAp7PdJf73odNzTdCDHJ/0ynjgaIPnZklWI/tvRcpFfdByooWW4Upkna1xu5i9UpmpG9wKwIDAQAB";

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ["@wxt-dev/webextension-polyfill"],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: "Live Conversations",
    description:
      "Watch every live AI-agent conversation from a side panel and step in when needed: pause, override, transfer — audited.",
    key: browser === "chrome" ? MANIFEST_KEY : undefined,
    minimum_chrome_version: browser === "chrome" ? "116" : undefined,
    permissions: ["storage", "alarms", "notifications"],
    action: { default_title: "Live Conversations" },
    browser_specific_settings:
      browser === "firefox" ? { gecko: { id: "live-conversations@example.org" } } : undefined,
  }),
});
