#!/usr/bin/env node
/**
 * `npm start`: builds the extension (wxt build → .output/chrome-mv3), starts
 * the reference gateway with simulated traffic on 127.0.0.1, and then either
 * - opens Chromium with the extension loaded and its panel on the demo (a
 *   display and a Chromium are there), or
 * - prints how to load the extension by hand (`--headless`, no display, no
 *   Chromium), or
 * - with `--screenshot FILE`, renders the live panel to a PNG in headless
 *   Chromium and stops everything.
 * `npm start -- --help` lists the options; the others go to the gateway.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { findChromium, hasDisplay, launchPanel, PANEL_URL, screenshotPanel } from "./lib/start-browser.mjs";
import { DEMO_TOKEN, parseStartArgs, START_USAGE } from "./lib/start-options.mjs";

const root = resolve(import.meta.dirname, "..");
const extensionDir = resolve(root, ".output/chrome-mv3");
const DEMO_URL = "http://127.0.0.1:8787";

let opts;
try {
  opts = parseStartArgs(process.argv.slice(2));
} catch (e) {
  console.error(`npm start: ${e.message} (see npm start -- --help)`);
  process.exit(2);
}
if (opts.help) {
  console.log(START_USAGE);
  process.exit(0);
}

if (!opts.skipBuild) {
  console.log("Building the extension (npx wxt build)…");
  const build = spawnSync("npx", ["wxt", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) {
    console.error("npm start: the extension build failed (see above); fix it or run with -- --skip-build");
    process.exit(build.status ?? 1);
  }
}
if (!existsSync(resolve(extensionDir, "manifest.json"))) {
  console.error(`npm start: no built extension in ${extensionDir}; run without --skip-build`);
  process.exit(1);
}

// --- the gateway ---
const gateway = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts", ...opts.gatewayArgs], {
  cwd: root,
  stdio: ["ignore", "pipe", "inherit"],
  env: { LC_LOG_LEVEL: "warn", ...process.env },
});
const gatewayExited = new Promise((r) => gateway.once("exit", (code, signal) => r({ code, signal })));
let browser = null;
let stopping = false;
let listening = false;

async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  await browser?.close();
  if (gateway.exitCode === null && gateway.signalCode === null) gateway.kill("SIGTERM");
  await gatewayExited;
  process.exit(exitCode);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void stopAll(0));
// Whatever ends this process, the gateway does not outlive it.
process.on("exit", () => {
  if (gateway.exitCode === null && gateway.signalCode === null) gateway.kill("SIGTERM");
});
void gatewayExited.then(({ code, signal }) => {
  if (stopping) return;
  console.error(`npm start: the gateway stopped (${signal ?? `exit code ${code}`})`);
  if (!listening)
    console.error(
      "  (port taken? another npm start may be running; `npm start -- --port 0` picks a free port)",
    );
  void stopAll(code || 1);
});

const url = await new Promise((resolveUrl) => {
  let buffer = "";
  let found = false;
  gateway.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    if (found) return;
    buffer += chunk.toString();
    const m = /listening on (\S+)/.exec(buffer);
    if (m) {
      found = true;
      listening = true;
      resolveUrl(m[1]);
    }
  });
});

// --- what to do with it ---
if (opts.screenshot) await screenshot(url);
else if (opts.headless || !hasDisplay()) printInstructions(url, opts.headless ? null : "no display found");
else await openBrowser(url);

/** The panel in Chromium at `executablePath`, with this run's extension, gateway and token. */
function launchWith(executablePath, gatewayUrl, { headless }) {
  return launchPanel({ executablePath, extensionDir, gatewayUrl, token: opts.token, headless });
}

async function screenshot(gatewayUrl) {
  const file = resolve(opts.screenshot);
  const executablePath = findChromium(opts.browser);
  if (!executablePath) {
    console.error("npm start: --screenshot needs Chromium (apt-get install chromium, or --browser PATH)");
    return stopAll(1);
  }
  try {
    browser = await launchWith(executablePath, gatewayUrl, { headless: true });
    const count = await screenshotPanel(browser.page, file);
    console.log(`screenshot: ${count} sessions visible → ${file}`);
    return stopAll(0);
  } catch (e) {
    console.error(`npm start: screenshot failed: ${e.message.split("\n")[0]}`);
    return stopAll(1);
  }
}

async function openBrowser(gatewayUrl) {
  const executablePath = findChromium(opts.browser);
  if (!executablePath) {
    printInstructions(
      gatewayUrl,
      "no Chromium found (Google Chrome 137+ ignores --load-extension; use Load unpacked)",
    );
    return;
  }
  try {
    browser = await launchWith(executablePath, gatewayUrl, { headless: false });
  } catch (e) {
    printInstructions(gatewayUrl, `could not start ${executablePath}: ${e.message.split("\n")[0]}`);
    return;
  }
  browser.context.once("close", () => {
    browser = null;
    if (!stopping)
      console.log("\n  The browser was closed; the gateway keeps running. Press Ctrl+C to stop it.");
  });
  console.log(`
  Live Conversations is running.

  Gateway URL:            ${gatewayUrl}
  Demo supervisor token:  ${opts.token}
  Your own agents:        npm run agent:example -- --url ${gatewayUrl}  (see docs/connect-your-agents.md)

  Chromium (${executablePath}) is open with the extension loaded and pointed at this
  gateway; the panel page is in the first tab (${PANEL_URL}).
  Chrome lets only a user open the real side panel: click the Live Conversations
  toolbar icon (pin it from the puzzle-piece menu) or press Alt+Shift+L.

  Press Ctrl+C to stop the gateway and the browser.
`);
}

function printInstructions(gatewayUrl, reason) {
  const preset = gatewayUrl === DEMO_URL && opts.token === DEMO_TOKEN;
  console.log(`
  Live Conversations is running.${reason ? ` No browser was opened: ${reason}.` : ""}

  Gateway URL:            ${gatewayUrl}
  Demo supervisor token:  ${opts.token}
  (admin: lc_demo_admin_token_0001, viewer: lc_demo_viewer_token_001 — see gateway/auth/demo-users.json)
  Your own agents:        npm run agent:example -- --url ${gatewayUrl}  (agent token lc_demo_agent_token_0001;
                          see docs/connect-your-agents.md)

  Load the extension in Chromium or Chrome:
    1. Open chrome://extensions
    2. Turn on "Developer mode" (top right)
    3. Click "Load unpacked" and choose:
         ${extensionDir}
    4. Open the side panel: the Live Conversations toolbar icon, or Alt+Shift+L.
  ${
    preset
      ? "The extension's defaults are this URL and the demo token: nothing else to set."
      : `Then, in the extension's Options, set the gateway URL to ${gatewayUrl} and the token to ${opts.token}.`
  }

  Press Ctrl+C to stop the gateway.
`);
}
