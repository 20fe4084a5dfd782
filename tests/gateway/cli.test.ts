import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { api } from "../helpers/gateway.ts";
import { ROOT, runTsx, spawnGateway } from "./spawn.ts";

describe("gateway command line", () => {
  it("`npm run gateway -- --port 0` prints the listening line and serves", async () => {
    const child = spawn("npm", ["run", "--silent", "gateway", "--", "--port", "0", "--log-level", "silent"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 25_000);
      child.stdout.on("data", (d) => {
        out += d.toString();
        const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect((await api({ url }, null, "/healthz")).status).toBe(200);
    const exited = new Promise((r) => child.on("exit", r));
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await exited;
  });

  it("reads options from LC_* environment variables", async () => {
    const gw = await spawnGateway([], { LC_PORT: "0", LC_NO_SIMULATE: "1" });
    const snap = (await api({ url: gw.url }, "lc_demo_supervisor_token", "/v1/snapshot")).body;
    expect(snap.sessions).toEqual([]);
    gw.child.kill("SIGTERM");
    expect(await gw.exited).toBe(0);
  });

  it.each([
    [["--port", "abc"], /--port: expected an integer/],
    [["--users", "/nonexistent/users.json"], /cannot read users file \/nonexistent\/users.json/],
  ])("stops with a one-line error for %j", (args, pattern) => {
    const r = runTsx("gateway/main.ts", args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("lists the options with --help", () => {
    const r = runTsx("gateway/main.ts", ["--help"]);
    expect(r.code).toBe(0);
    for (const flag of [
      "--port",
      "--host",
      "--users",
      "--data-dir",
      "--seed",
      "--sessions",
      "--rate",
      "--allow-origin",
      "LC_PORT",
    ])
      expect(r.stdout).toContain(flag);
  });
});
