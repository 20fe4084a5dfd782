/** Runs the gateway CLI as a child process for tests, and waits for its listening line. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

export interface GatewayChild {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

export function spawnGateway(args: string[], env: NodeJS.ProcessEnv = {}): Promise<GatewayChild> {
  const child = spawn(process.execPath, ["--import", "tsx", "gateway/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, LC_LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${err}`)), 20_000);
    child.stderr?.on("data", (d) => {
      err += d.toString();
    });
    child.stdout?.on("data", (d) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolvePromise({ child, url: m[1], stdout: () => out, stderr: () => err, exited });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}: ${err}`));
    });
  });
}

export function runTsx(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, LC_LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface ExitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the gateway CLI to its exit (for refusals to start), without blocking
 * the test's event loop: several can run side by side. `prefix` wraps the
 * command (e.g. `prlimit --fsize=N`); `uid` runs it as another user.
 */
export function runGatewayToExit(
  args: string[],
  opts: { prefix?: string[]; uid?: number; timeoutMs?: number } = {},
): Promise<ExitResult> {
  const argv = [...(opts.prefix ?? []), process.execPath, "--import", "tsx", "gateway/main.ts", ...args];
  const [cmd = process.execPath, ...rest] = argv;
  const child = spawn(cmd, rest, {
    cwd: ROOT,
    env: { ...process.env, LC_LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
    ...(opts.uid !== undefined ? { uid: opts.uid } : {}),
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d) => {
    stdout += d.toString();
    // It started after all: that is the answer (the caller sees "listening on" in stdout).
    if (stdout.includes("listening on")) child.kill("SIGKILL");
  });
  child.stderr?.on("data", (d) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}
