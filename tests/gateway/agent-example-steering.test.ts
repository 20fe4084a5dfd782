/**
 * The example agent runtime (agent-client/example-runtime.ts) against
 * the real gateway: it follows a supervisor's whisper in its next reply
 * without the user seeing the whisper, and during a take-over it stays silent,
 * delivers the supervisor's replies, and answers again once handed back.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  answerFor,
  createExampleRuntime,
  createFakeLlm,
  type ExampleRuntime,
  type WebSocketCtor,
} from "../../agent-client/index.ts";
import type { EventFrame, Message } from "../../utils/protocol/index.ts";
import { DEMO_AGENT_TOKEN } from "../helpers/agent-socket.ts";
import { api, connectAs, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
let sup: TestClient;
let runtime: ExampleRuntime;
beforeAll(async () => {
  tg = await startTestGateway({ simulate: false });
  sup = await connectAs(tg, tg.tokens.supervisor);
  runtime = createExampleRuntime({
    url: tg.url,
    token: DEMO_AGENT_TOKEN,
    runtimeId: "steering",
    WebSocket: WebSocket as unknown as WebSocketCtor,
    llm: createFakeLlm({ tokensPerSecond: 200 }),
  });
});
afterAll(async () => {
  runtime?.close();
  sup?.close();
  await tg?.stop();
});

async function command(sid: string, action: string, payload: Record<string, unknown> = {}) {
  const cmdId = randomUUID();
  const r = await api(tg, tg.tokens.supervisor, "/v1/commands", {
    body: { cmd_id: cmdId, action, session_id: sid, reason: `Steering test: ${action}`, payload },
    headers: { "idempotency-key": cmdId },
  });
  expect(r.status).toBe(200);
  await sup.waitFor(
    (f) =>
      f.type === "event" &&
      f.kind === "intervention_result" &&
      (f.data as { cmd_id?: string }).cmd_id === cmdId &&
      (f.data as { outcome?: string }).outcome === "applied",
    10_000,
  );
}
const sent = (sid: string) =>
  sup.frames
    .filter((f): f is EventFrame => f.type === "event" && f.session_id === sid && f.kind === "message_sent")
    .map((f) => f.data as Message);

describe("the example runtime obeys the supervisors' steering", () => {
  it("follows a whisper in its next reply", async () => {
    const sid = runtime.start({ id: "usr_whisper", name: "Wendy" });
    await sup.waitFor((f) => f.type === "event" && f.kind === "session_started" && f.session_id === sid);
    await command(sid, "whisper", { text: "Offer the 20 % retention discount" });
    await runtime.userSays(sid, "I want to cancel my account");
    await sup.waitFor(
      (f) =>
        f.type === "event" && f.session_id === sid && f.kind === "message_sent" && f.data.role === "agent",
      10_000,
    );
    const reply = sent(sid).find((m) => m.role === "agent");
    expect(reply?.text).toBe(
      `${answerFor("I want to cancel my account")} I can also offer the 20 % retention discount.`,
    );
    // The whisper itself is the gateway's supervisors-only line, never the runtime's message to the user.
    expect(
      sent(sid)
        .filter((m) => m.role !== "agent" && !m.whisper)
        .map((m) => m.text),
    ).not.toContain("Offer the 20 % retention discount");
  });

  it("stays silent while taken over, delivers the supervisor's reply, and answers again after hand-back", async () => {
    const sid = runtime.start({ id: "usr_takeover", name: "Tom" });
    await sup.waitFor((f) => f.type === "event" && f.kind === "session_started" && f.session_id === sid);
    await command(sid, "take_over");
    await runtime.userSays(sid, "Where is my parcel?"); // silent: the only agent reply below is after hand-back
    await command(sid, "takeover_reply", { text: "Hi Tom, I am looking at your parcel myself." });
    expect(sent(sid).find((m) => m.role === "supervisor")?.text).toBe(
      "Hi Tom, I am looking at your parcel myself.",
    );
    await command(sid, "hand_back");
    await runtime.userSays(sid, "Thanks, and my refund?");
    await sup.waitFor(
      (f) =>
        f.type === "event" && f.session_id === sid && f.kind === "message_sent" && f.data.role === "agent",
      10_000,
    );
    expect(
      sent(sid)
        .filter((m) => m.role === "agent")
        .map((m) => m.text),
    ).toEqual([answerFor("Thanks, and my refund?")]);
  });
});
