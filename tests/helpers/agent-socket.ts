/**
 * A bare agent runtime for gateway tests: a `ws` socket on /v1/agent that
 * records every decoded frame and waits for them (no fixed sleeps), plus a
 * session object for publishing.
 */
import WebSocket from "ws";
import { type AgentServerFrame, decodeAgentServerFrame, type Session } from "../../utils/protocol/index.ts";

export const DEMO_AGENT_TOKEN = "lc_demo_agent_token_0001";
export const EXAMPLE_AGENT = { id: "agt_example", name: "Example Agent", color: "#0891b2" };

export interface AgentSocket {
  ws: WebSocket;
  frames: AgentServerFrame[];
  errors: string[];
  send(frame: unknown): void;
  waitFor<T extends AgentServerFrame = AgentServerFrame>(
    pred: (f: AgentServerFrame) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<T>;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export function agentUrlOf(port: number): string {
  return `ws://127.0.0.1:${port}/v1/agent`;
}

export function openAgentSocket(port: number, headers: Record<string, string> = {}): Promise<AgentSocket> {
  const ws = new WebSocket(agentUrlOf(port), { headers });
  const frames: AgentServerFrame[] = [];
  const errors: string[] = [];
  const waiters = new Set<() => void>();
  ws.on("message", (data) => {
    const f = decodeAgentServerFrame(data.toString());
    if (f.ok) frames.push(f.value);
    else errors.push(`${f.error.path} ${f.error.message}`);
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const sock: AgentSocket = {
    ws,
    frames,
    errors,
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    waitFor<T extends AgentServerFrame>(pred: (f: AgentServerFrame) => boolean, timeoutMs = 5000, from = 0) {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          for (let i = from; i < frames.length; i++) {
            const f = frames[i] as AgentServerFrame;
            if (pred(f)) {
              done();
              resolve(f as T);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for an agent frame`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    closed,
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(sock));
    ws.once("unexpected-response", (_req, res) =>
      reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)),
    );
    ws.once("error", reject);
  });
}

/** Opens a socket and completes agent_hello → agent_welcome. */
export async function connectAgent(
  port: number,
  token = DEMO_AGENT_TOKEN,
  runtimeId?: string,
): Promise<AgentSocket> {
  const s = await openAgentSocket(port);
  s.send({ type: "agent_hello", v: 1, token, ...(runtimeId ? { runtime_id: runtimeId } : {}) });
  await s.waitFor((f) => f.type === "agent_welcome");
  return s;
}

let n = 0;
export const pubId = () => `pub_t${(++n).toString(36)}`;

export function sessionData(id: string, agent = EXAMPLE_AGENT): Session {
  const ts = new Date().toISOString();
  return {
    id,
    agent,
    channel: "web",
    user: { id: "usr_t1", name: "Tess Test" },
    priority: "normal",
    status: "active",
    started_at: ts,
    last_activity_at: ts,
    preview: "",
    message_count: 0,
  };
}

/** Publishes and waits for the gateway's answer to that pub_id. */
export async function publish(
  s: AgentSocket,
  kind: string,
  sessionId: string | null,
  data: unknown,
): Promise<Extract<AgentServerFrame, { type: "published" | "publish_error" }>> {
  const pub_id = pubId();
  const from = s.frames.length;
  s.send({ type: "publish", pub_id, event: { kind, session_id: sessionId, data } });
  return s.waitFor(
    (f) => (f.type === "published" || f.type === "publish_error") && f.pub_id === pub_id,
    5000,
    from,
  );
}

export function userMessage(id: string, text: string) {
  return { id, role: "user", format: "text", text, ts: new Date().toISOString() };
}
