/**
 * `npm run screenshots`: builds the extension (unless --skip-build), starts the
 * reference gateway in process with simulated traffic (fixed seed) on a free
 * port, drives the built extension's panel in headless Chromium (the browser
 * half of `npm start`, scripts/lib/start-browser.mjs) and writes the README's
 * pictures to docs/screenshots/ (or --out DIR). See scripts/screenshots/scenes.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createGateway } from "../gateway/gateway.ts";
import { EXTENSION_ORIGIN } from "../utils/extension-id.ts";
import { findChromium, launchPanel } from "./lib/start-browser.mjs";
import { takeScreenshots } from "./screenshots/scenes.ts";

const root = resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    "skip-build": { type: "boolean", default: false },
    out: { type: "string", default: resolve(root, "docs/screenshots") },
    browser: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log("npm run screenshots [-- --skip-build] [--out DIR] [--browser PATH]");
  process.exit(0);
}

const started = Date.now();
const extensionDir = resolve(root, ".output/chrome-mv3");
if (!args["skip-build"]) {
  console.log("Building the extension (npx wxt build)…");
  const build = spawnSync("npx", ["wxt", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (build.status !== 0) fail("the extension build failed (see above)");
}
if (!existsSync(resolve(extensionDir, "manifest.json"))) fail(`no built extension in ${extensionDir}`);
const executablePath = findChromium(args.browser ?? null);
if (!executablePath) fail("needs Chromium (apt-get install chromium, or --browser PATH)");

const gateway = createGateway({
  port: 0,
  host: "127.0.0.1",
  allowOrigins: [EXTENSION_ORIGIN],
  seed: 7,
  sessions: 8,
  rate: 30,
  newPerMinute: 20,
  tokensPerSecond: 40,
  metricsIntervalMs: 1000,
  heartbeatMs: 2000,
  simTransport: "inprocess",
  logLevel: "silent",
});
await gateway.listen();
// The demo supervisor (the first supervisor of the built-in users) and an agent runtime of the same org.
const supervisor = gateway.options.users.find((u) => (u.roles as string[]).includes("supervisor"));
const agent = gateway.options.users.find(
  (u) => (u.roles as string[]).includes("agent") && u.org_id === supervisor?.org_id,
);
let browser: Awaited<ReturnType<typeof launchPanel>> | null = null;
let code = 0;
try {
  if (!supervisor?.token || !agent?.token)
    throw new Error("the demo users (supervisor and agent tokens) are missing");
  browser = await launchPanel({
    executablePath: executablePath as string,
    extensionDir,
    gatewayUrl: gateway.url,
    token: supervisor.token,
    headless: true,
  });
  console.log(`Gateway ${gateway.url}; writing to ${args.out}:`);
  const files = await takeScreenshots({
    page: browser.page,
    gateway,
    supervisorToken: supervisor.token,
    agentToken: agent.token,
    outDir: args.out,
    log: (line) => console.log(line),
  });
  console.log(`${files.length} screenshots in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`npm run screenshots: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  code = 1;
} finally {
  await browser?.close();
  await gateway.stop();
}
process.exit(code);

function fail(message: string): never {
  console.error(`npm run screenshots: ${message}`);
  process.exit(1);
}
