/**
 * Debian's Chromium for the benchmark, started by hand (no Playwright) with
 * the built extension loaded and a DevTools port, driven over bare CDP.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until as untilFact } from "../../tests/helpers/until.ts";
import { EXTENSION_ID } from "../../utils/extension-id.ts";
import { type Cdp, type CdpSession, connectCdp } from "./cdp.ts";
import { PROBE_SOURCE } from "./probe.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Bench {
  cdp: Cdp;
  /** The extension's service worker. */
  worker: CdpSession;
  workerTargetId: string;
  close(): Promise<void>;
}

export interface Page {
  session: CdpSession;
  targetId: string;
  close(): Promise<void>;
}

/** The tests' one wait, polled every 25 ms here (a bench waits on pages and workers over CDP). */
const until = <T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 20_000) =>
  untilFact(what, fn, ms, 25);

export async function launchBench(extensionDir: string): Promise<Bench> {
  if (!existsSync(join(extensionDir, "manifest.json")))
    throw new Error(`no built extension at ${extensionDir}: run npm run build`);
  const profile = mkdtempSync(join(tmpdir(), "lc-bench-"));
  const proc: ChildProcess = spawn(
    CHROMIUM,
    [
      "--headless",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
      "--enable-precise-memory-info",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  proc.stderr?.on("data", (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  const portFile = join(profile, "DevToolsActivePort");
  const [port, path] = await until(
    "Chromium's DevTools port",
    () => {
      if (proc.exitCode !== null) throw new Error(`Chromium exited (${proc.exitCode}): ${stderr}`);
      if (!existsSync(portFile)) return undefined;
      const lines = readFileSync(portFile, "utf8").trim().split("\n");
      return lines.length >= 2 ? (lines as [string, string]) : undefined;
    },
    30_000,
  );
  const cdp = await connectCdp(`ws://127.0.0.1:${port}${path}`);
  const workerUrl = `chrome-extension://${EXTENSION_ID}/background.js`;
  const workerTargetId = await until("the extension's service worker", async () => {
    const { targetInfos } = await cdp.browser.send<{
      targetInfos: { targetId: string; type: string; url: string }[];
    }>("Target.getTargets");
    return targetInfos.find((t) => t.type === "service_worker" && t.url === workerUrl)?.targetId;
  });
  const worker = await cdp.attach(workerTargetId);
  await worker.send("Runtime.runIfWaitingForDebugger").catch(() => undefined);
  await until("the worker's extension APIs and hooks", () =>
    worker
      .evaluate<boolean>("typeof chrome === 'object' && !!chrome.storage?.local && !!globalThis.__lc")
      .then((ok) => (ok ? true : undefined))
      .catch(() => undefined),
  );
  return {
    cdp,
    worker,
    workerTargetId,
    async close() {
      cdp.close();
      proc.kill("SIGKILL");
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once("exit", r)));
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      } catch {
        // Chromium may still be writing its profile; a leftover temp dir is harmless
      }
    },
  };
}

/** A new tab at `url` (420×760 like a side panel), optionally with the probe installed before load. */
export async function openPage(b: Bench, url: string, opts: { probe?: boolean } = {}): Promise<Page> {
  const { targetId } = await b.cdp.browser.send<{ targetId: string }>("Target.createTarget", {
    url: "about:blank",
  });
  const session = await b.cdp.attach(targetId);
  await session.send("Page.enable");
  await session.send("Emulation.setDeviceMetricsOverride", {
    width: 420,
    height: 760,
    deviceScaleFactor: 1,
    mobile: false,
  });
  if (opts.probe) await session.send("Page.addScriptToEvaluateOnNewDocument", { source: PROBE_SOURCE });
  await session.send("Page.navigate", { url });
  return {
    session,
    targetId,
    async close() {
      await b.cdp.browser.send("Target.closeTarget", { targetId }).catch(() => undefined);
    },
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  return until(what, fn, ms);
}

/** JS heap used by a target (CDP Runtime.getHeapUsage after a full GC), in MB. */
export async function heapMb(s: CdpSession): Promise<number> {
  await s.send("HeapProfiler.collectGarbage").catch(() => undefined);
  const { usedSize } = await s.send<{ usedSize: number }>("Runtime.getHeapUsage");
  return usedSize / (1024 * 1024);
}
