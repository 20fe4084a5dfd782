#!/usr/bin/env node
/**
 * `npm start`: builds the extension (wxt build → .output/chrome-mv3), starts
 * the reference gateway on 127.0.0.1:8787 with simulated traffic, and prints
 * what to do next. Extra arguments go to the gateway (`npm start -- --seed 7`);
 * `--skip-build` skips the build.
 */
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const skipBuild = args.includes("--skip-build");
const gatewayArgs = args.filter((a) => a !== "--skip-build");

if (!skipBuild) {
  console.log("Building the extension (npx wxt build)…");
  const build = spawnSync("npx", ["wxt", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) {
    console.error("npm start: the extension build failed (see above); fix it or run with -- --skip-build");
    process.exit(build.status ?? 1);
  }
}

const child = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts", ...gatewayArgs], {
  cwd: root,
  stdio: ["inherit", "pipe", "inherit"],
  env: { LC_LOG_LEVEL: "warn", ...process.env },
});

let printed = false;
let buffer = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (printed) return;
  buffer += chunk.toString();
  const m = /listening on (\S+)/.exec(buffer);
  if (!m) return;
  printed = true;
  const url = m[1];
  const ext = resolve(root, ".output/chrome-mv3");
  console.log(`
  Live Conversations is running.

  Gateway URL:            ${url}
  Demo supervisor token:  lc_demo_supervisor_token
  (admin: lc_demo_admin_token_0001, viewer: lc_demo_viewer_token_001 — see gateway/demo-users.json)

  Load the extension in Chrome:
    1. Open chrome://extensions
    2. Turn on "Developer mode" (top right)
    3. Click "Load unpacked" and choose:
         ${ext}
    4. Open the side panel from the Live Conversations toolbar icon.
  ${
    url === "http://127.0.0.1:8787"
      ? "The extension is preconfigured for this URL and the demo token: nothing else to set."
      : `Then set the gateway URL to ${url} in the extension's options.`
  }

  Press Ctrl+C to stop the gateway.
`);
});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
