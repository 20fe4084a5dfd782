/**
 * `npm start` end to end: headless with --screenshot it starts the gateway on a
 * free port, renders the live panel in headless Chromium (one launch) to a PNG
 * once session cards are shown, and stops everything by itself; headless
 * without it, it prints what to load and where. `--skip-build` because
 * `npm test` has just built .output/chrome-mv3 (building here would rewrite it
 * under the other browser tests).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain ES module without types
import { parseStartArgs } from "../../scripts/lib/start-options.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "lc-start-"));
const running = new Set<ChildProcess>();

interface Run {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
  waitForOutput(re: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
}

function npmStart(args: string[]): Run {
  const child = spawn("npm", ["start", "--silent", "--", ...args], {
    cwd: ROOT,
    detached: true, // its own process group, so a failed test can stop npm, node and the gateway at once
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LC_LOG_LEVEL: "warn" },
  });
  running.add(child);
  let out = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((r) =>
    child.once("exit", (code) => {
      running.delete(child);
      r(code);
    }),
  );
  return {
    child,
    out: () => out,
    exited,
    waitForOutput: (re, timeoutMs) =>
      new Promise((resolveMatch, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) {
            done();
            resolveMatch(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${re} in npm start output after ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL") {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms)),
  ]);
}

afterAll(() => {
  for (const child of running) killGroup(child);
  rmSync(tmp, { recursive: true, force: true });
});

describe("npm start", () => {
  it("--headless --screenshot renders the live panel with sessions on a free port, then exits 0", async () => {
    const file = join(tmp, "panel.png");
    const run = npmStart(["--skip-build", "--headless", "--screenshot", file, "--port", "0"]);
    const code = await withTimeout(run.exited, 90_000, "npm start did not end").catch((e) => {
      killGroup(run.child);
      throw new Error(`${e.message}:\n${run.out()}`);
    });
    expect(code, run.out()).toBe(0);
    const url = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(run.out());
    expect(url, run.out()).not.toBeNull();
    expect(Number(url?.[2])).toBeGreaterThan(0);
    expect(Number(url?.[2])).not.toBe(8787); // --port 0 reached the gateway
    // Counted on the page before the screenshot was taken.
    const shown = /screenshot: (\d+) sessions visible/.exec(run.out());
    expect(Number(shown?.[1] ?? 0), run.out()).toBeGreaterThanOrEqual(1);

    const png = readFileSync(file);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      true,
    );
    expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(320); // width
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(480); // height
    expect(png.length).toBeGreaterThan(20_000); // a rendered panel, not a blank page
    expect(png.length).toBeLessThan(10_000_000);
  }, 120_000);

  it("--headless prints the gateway URL, the token and the folder to load, and stops on Ctrl+C", async () => {
    const run = npmStart(["--skip-build", "--headless", "--port", "0"]);
    try {
      await run.waitForOutput(/Press Ctrl\+C to stop the gateway/, 30_000);
      const out = run.out();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? "";
      expect(out).toContain(`Gateway URL:            ${url}`);
      expect(out).toContain("lc_demo_supervisor_token");
      expect(out).toContain(resolve(ROOT, ".output/chrome-mv3"));
      expect(out).toContain("chrome://extensions");
      // Not the default port: it says where to point the extension.
      expect(out).toContain(`set the gateway URL to ${url}`);
      // The gateway answers while the command runs.
      const health = await fetch(`${url}/v1/me`, {
        headers: { authorization: "Bearer lc_demo_supervisor_token" },
      });
      expect(health.status).toBe(200);
      // Ctrl+C in a terminal signals the whole foreground group: npm, start.mjs and the gateway.
      killGroup(run.child, "SIGINT");
      await withTimeout(run.exited, 15_000, "npm start did not stop");
      await expect(fetch(`${url}/v1/me`)).rejects.toThrow();
    } finally {
      killGroup(run.child);
    }
  }, 60_000);

  it("keeps its own flags and passes the rest to the gateway", () => {
    expect(parseStartArgs(["--skip-build", "--screenshot=a.png", "--port", "0", "--seed", "7"])).toEqual({
      skipBuild: true,
      headless: true,
      screenshot: "a.png",
      browser: null,
      token: "lc_demo_supervisor_token",
      help: false,
      gatewayArgs: ["--port", "0", "--seed", "7"],
    });
    expect(() => parseStartArgs(["--screenshot"])).toThrow(/needs a value/);
  });
});
