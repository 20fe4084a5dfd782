/**
 * Agent tokens in the users file (role agent, agent_ids, token or only its
 * SHA-256), minted by `npm run mint-agent-token`, revocable, and the frame
 * budget of an agent socket.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseUsers, tokenDigestHex } from "../../gateway/auth/users.ts";
import { DEMO_USERS_FILE, loadUsersFile } from "../../gateway/config.ts";
import { connectAgent, openAgentSocket } from "../helpers/agent-socket.ts";
import { startTestGateway, type TestGateway } from "../helpers/gateway.ts";
import { runTsx } from "./spawn.ts";

const gateways: TestGateway[] = [];
afterAll(async () => {
  for (const g of gateways) await g.stop();
});

const base = { id: "rt_1", name: "Runtime", org_id: "org_demo" };

describe("agent tokens in the users file", () => {
  it("needs agent_ids, the role agent alone, and exactly one of token / token_sha256", () => {
    const ok = (u: object) => parseUsers([u]).ok;
    expect(ok({ ...base, token: "a-long-agent-token-0001", roles: ["agent"], agent_ids: ["agt_a"] })).toBe(
      true,
    );
    expect(
      ok({ ...base, token_sha256: tokenDigestHex("x".repeat(20)), roles: ["agent"], agent_ids: ["agt_a"] }),
    ).toBe(true);
    expect(ok({ ...base, token: "a-long-agent-token-0001", roles: ["agent"] })).toBe(false);
    expect(
      ok({ ...base, token: "a-long-agent-token-0001", roles: ["agent", "supervisor"], agent_ids: ["a"] }),
    ).toBe(false);
    expect(ok({ ...base, roles: ["agent"], agent_ids: ["agt_a"] })).toBe(false);
    expect(
      ok({
        ...base,
        token: "a-long-agent-token-0001",
        token_sha256: tokenDigestHex("b"),
        roles: ["agent"],
        agent_ids: ["a"],
      }),
    ).toBe(false);
    expect(ok({ ...base, token_sha256: "NOT-HEX", roles: ["agent"], agent_ids: ["a"] })).toBe(false);
    // The same token twice, once in clear and once hashed, is caught too.
    const t = "a-long-agent-token-0001";
    const twice = parseUsers([
      { ...base, token: t, roles: ["agent"], agent_ids: ["a"] },
      { ...base, id: "rt_2", token_sha256: tokenDigestHex(t), roles: ["agent"], agent_ids: ["a"] },
    ]);
    expect(twice.ok).toBe(false);
  });

  it("`npm run mint-agent-token` appends only the hash; the printed token then works on /v1/agent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lc-mint-"));
    const file = join(dir, "users.json");
    writeFileSync(file, readFileSync(DEMO_USERS_FILE, "utf8"));
    const r = runTsx("scripts/mint-agent-token.ts", [
      "--org",
      "org_demo",
      "--agent",
      "agt_x,agt_y",
      "--users",
      file,
      "--id",
      "rt_minted",
    ]);
    expect(r.code).toBe(0);
    const token = /\n {2}(lc_agent_[0-9a-f]+)\n/.exec(r.stdout)?.[1] ?? "";
    expect(token).not.toBe("");
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(token);
    const users = loadUsersFile(file);
    expect(users.at(-1)).toMatchObject({
      id: "rt_minted",
      roles: ["agent"],
      agent_ids: ["agt_x", "agt_y"],
      token_sha256: tokenDigestHex(token),
    });
    const tg = await startTestGateway({ users, simulate: false });
    gateways.push(tg);
    const a = await connectAgent(tg.port, token);
    expect(a.frames[0]).toMatchObject({ type: "agent_welcome", agent_ids: ["agt_x", "agt_y"] });
    // Revoked: its socket closes with 4001 and it no longer gets in.
    expect(tg.gateway.revokeToken(token)).toBe(true);
    expect((await a.closed).code).toBe(4001);
    const again = await openAgentSocket(tg.port);
    again.send({ type: "agent_hello", v: 1, token });
    expect((await again.closed).code).toBe(4001);
    const bad = runTsx("scripts/mint-agent-token.ts", [
      "--org",
      "org_demo",
      "--agent",
      "bad id!",
      "--users",
      file,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("agent_ids");
  });

  it("an agent socket over its frame budget is closed with 4110", async () => {
    const tg = await startTestGateway({ simulate: false, agentFramesPerSecond: 5 });
    gateways.push(tg);
    const a = await connectAgent(tg.port);
    for (let i = 0; i < 50; i++) a.send({ type: "ping", id: i });
    expect(await a.closed).toEqual({ code: 4110, reason: "too many frames; back off" });
  });
});
