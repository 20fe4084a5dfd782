import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ["@wxt-dev/webextension-polyfill"],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: "Live Conversations",
    description:
      "Watch every live AI-agent conversation from a side panel and step in when needed: pause, override, transfer — audited.",
    minimum_chrome_version: browser === "chrome" ? "116" : undefined,
    permissions: ["storage", "alarms", "notifications"],
    action: { default_title: "Live Conversations" },
    browser_specific_settings:
      browser === "firefox" ? { gecko: { id: "live-conversations@example.org" } } : undefined,
  }),
});
