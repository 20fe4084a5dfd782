/**
 * The agent client's parts without a gateway: the URL it dials, the
 * intervention router (applied once, answered again), the link's outbox
 * against a scripted WebSocket (resent in order after a reconnect, stopped
 * for good on 4001), and a streamed reply's events.
 */
import { describe, expect, it, vi } from "vitest";
import { CloseCode, type InterventionFrame } from "@/utils/protocol";
import {
  agentUrl,
  answerFor,
  createInterventionRouter,
  createLink,
  streamTokens,
  tokenizeWords,
  type WebSocketCtor,
  type WebSocketLike,
} from "../../agent-client";
import { until } from "../helpers/until";

/** A scripted socket: records what the link sends; the test plays the gateway. */
class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: never) => void) | null = null;
  onmessage: ((ev: never) => void) | null = null;
  onclose: ((ev: never) => void) | null = null;
  onerror: ((ev: never) => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code: number = CloseCode.normal, reason = "") {
    this.drop(code, reason);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as never);
  }
  deliver(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) } as never);
  }
  welcome(extra: object = {}) {
    this.deliver({
      ...extra,
      type: "agent_welcome",
      conn_id: "c1",
      server_time: new Date().toISOString(),
      org_id: "org_demo",
      agent_ids: ["agt_example"],
      runtime_id: "default",
      heartbeat_ms: 60_000,
      idle_timeout_ms: 120_000,
      sessions: [],
    });
  }
  drop(code: number, reason = "") {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason } as never);
  }
}
const Fake = FakeSocket as unknown as WebSocketCtor;
const publishFrame = (pub_id: string) => ({
  type: "publish" as const,
  pub_id,
  event: {
    kind: "error_occurred" as const,
    session_id: null,
    data: { code: "X", message: "m", severity: "warning" },
  },
});

describe("agent client parts", () => {
  it("dials /v1/agent on the gateway's URL", () => {
    expect(agentUrl("http://127.0.0.1:8787")).toBe("ws://127.0.0.1:8787/v1/agent");
    expect(agentUrl("https://gw.example/")).toBe("wss://gw.example/v1/agent");
    expect(agentUrl("ws://h:1/v1/agent")).toBe("ws://h:1/v1/agent");
  });

  it("sends hello first, holds publishes until the welcome, resends the unanswered in order after a reconnect", async () => {
    FakeSocket.all = [];
    const link = createLink({
      url: "http://gw:1",
      token: "tok",
      WebSocket: Fake,
      backoff: { minMs: 1, maxMs: 2 },
      onFrame: () => {},
    });
    const first = FakeSocket.all[0] as FakeSocket;
    link.publish(publishFrame("p1"));
    first.open();
    expect(first.sent.map((f) => f.type)).toEqual(["agent_hello"]);
    first.welcome();
    link.publish(publishFrame("p2"));
    expect(first.sent.map((f) => f.pub_id ?? f.type)).toEqual(["agent_hello", "p1", "p2"]);
    link.settle("p1");
    first.drop(CloseCode.abnormal);
    expect(link.state).toBe("reconnecting");
    link.publish(publishFrame("p3"));
    await until("FakeSocket.all.length === 2", () => FakeSocket.all.length === 2);
    const second = FakeSocket.all[1] as FakeSocket;
    second.open();
    second.welcome();
    expect(second.sent.map((f) => f.pub_id ?? f.type)).toEqual(["agent_hello", "p2", "p3"]);
    expect(link.unanswered).toBe(2);
    // A refused token stops it: no more attempts, whatever time passes (fake timers run every timer it leaves).
    vi.useFakeTimers();
    try {
      second.drop(CloseCode.unauthenticated, "invalid token");
      expect(link.state).toBe("stopped");
      vi.runAllTimers();
      expect(FakeSocket.all.length).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("lists its open sessions in every hello and resends only what the gateway never numbered (issue 19)", async () => {
    FakeSocket.all = [];
    const answered: { pub_id: string; seq: number }[] = [];
    const link = createLink({
      url: "http://gw:1",
      token: "tok",
      WebSocket: Fake,
      backoff: { minMs: 1, maxMs: 2 },
      sessions: () => ["ses_a"],
      onFrame: (f) => {
        if (f.type === "published") answered.push({ pub_id: f.pub_id, seq: f.seq });
      },
    });
    const on = (sid: string, pub_id: string) => ({
      ...publishFrame(pub_id),
      event: { kind: "message_received" as const, session_id: sid, data: {} },
    });
    const first = FakeSocket.all[0] as FakeSocket;
    first.open();
    expect(first.sent[0]).toMatchObject({ type: "agent_hello", sessions: ["ses_a"] });
    first.welcome();
    for (const p of [on("ses_a", "a1"), on("ses_b", "b1"), on("ses_a", "a2"), on("ses_a", "a3")])
      link.publish(p);
    // The gateway numbered a1 and a2 (and b1) but the answers died with it.
    first.drop(CloseCode.abnormal);
    await until("FakeSocket.all.length === 2", () => FakeSocket.all.length === 2);
    const second = FakeSocket.all[1] as FakeSocket;
    second.open();
    second.welcome({ resumed: [{ session_id: "ses_a", seq: 41, last_pub_id: "a2" }] });
    expect(second.sent.map((f) => f.pub_id ?? f.type)).toEqual(["agent_hello", "b1", "a3"]);
    expect(answered).toEqual([
      { pub_id: "a1", seq: 41 },
      { pub_id: "a2", seq: 41 },
    ]);
    expect(link.unanswered).toBe(2);
    link.close();
  });

  it("applies an intervention once and answers a redelivery with the same result", async () => {
    const router = createInterventionRouter();
    let applied = 0;
    router.add(() => {
      applied++;
    });
    const frame: InterventionFrame = {
      type: "intervention",
      intervention_id: "int_1",
      cmd_id: "c1",
      session_id: "ses_1",
      action: "pause",
      payload: {},
      reason: "test",
      deadline: new Date().toISOString(),
    };
    const answers: object[] = [];
    router.receive(frame, (a) => answers.push(a));
    await until("answers.length === 1", () => answers.length === 1);
    router.receive(frame, (a) => answers.push(a));
    expect(answers).toEqual([
      { type: "intervention_result", intervention_id: "int_1", cmd_id: "c1", outcome: "applied" },
      { type: "intervention_result", intervention_id: "int_1", cmd_id: "c1", outcome: "applied" },
    ]);
    expect(applied).toBe(1);
  });

  it("streams a reply: thinking, started, deltas 0.., the whole text; an abort sends no final message", async () => {
    const log: string[] = [];
    const deps = {
      publish: async (kind: string, _sid: string, data: unknown) => {
        log.push(`${kind}:${JSON.stringify((data as { text?: string }).text ?? "")}`);
      },
      delta: (_s: string, _m: string, idx: number, text: string) => log.push(`delta ${idx} ${text}`),
      newId: () => "msg_1",
    };
    async function* words() {
      yield* tokenizeWords(answerFor("hello"));
    }
    const r = await streamTokens(deps, "ses_1", words());
    expect(r.text).toBe(answerFor("hello"));
    expect(log[0]).toBe('agent_thinking:""');
    expect(log[1]).toBe('stream_started:""');
    expect(log.at(-1)).toBe(`message_sent:${JSON.stringify(answerFor("hello"))}`);
    const ac = new AbortController();
    log.length = 0;
    async function* slow() {
      yield "one ";
      ac.abort();
      yield "two";
    }
    const cut = await streamTokens(deps, "ses_1", slow(), { signal: ac.signal });
    expect(cut).toMatchObject({ cancelled: true, text: "one " });
    expect(log.some((l) => l.startsWith("message_sent"))).toBe(false);
  });
});
