/**
 * `npm run bench:agent [-- --events N --rate R --seconds S]`: the agent side
 * alone, over real sockets on 127.0.0.1 — how many published events per
 * second one runtime gets numbered and acknowledged (each one validated and
 * checked for ownership), and the latency from `publish` to a supervisor's
 * stream at a steady rate. Figures, not pass/fail.
 */
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { createAgentClient, type WebSocketCtor } from "../agent-client/index.ts";
import { createGateway } from "../gateway/gateway.ts";
import { EXTENSION_ORIGIN } from "../utils/extension-id.ts";
import { decodeServerFrames } from "../utils/protocol/index.ts";
import { percentile } from "./bench/stats.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "20000" },
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "10" },
  },
});
const EVENTS = Number(values.events);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const AGENT = { id: "agt_example", name: "Example Agent", color: "#0891b2" };

const g = createGateway({
  port: 0,
  logLevel: "silent",
  simulate: false,
  agentFramesPerSecond: 1_000_000,
  connectsPerMinute: 1_000_000,
});
await g.listen();

// A supervisor on the stream, timing each event's arrival by the mark in its text.
const arrivals = new Map<string, number>();
let lastSeq = 0;
let gaps = 0;
const sup = new WebSocket(`ws://127.0.0.1:${g.port}/v1/stream`, { origin: EXTENSION_ORIGIN });
await new Promise((r) => sup.once("open", r));
sup.send(JSON.stringify({ type: "hello", v: 1, token: "lc_demo_supervisor_token" }));
sup.on("message", (d) => {
  const now = performance.now();
  for (const f of decodeServerFrames(d.toString())) {
    if (!f.ok) continue;
    const frame = f.value;
    if (frame.type === "welcome" || frame.type === "snapshot") lastSeq = frame.seq;
    if (frame.type !== "event") continue;
    if (frame.seq !== lastSeq + 1) gaps++;
    lastSeq = frame.seq;
    const text = (frame.data as { text?: unknown }).text;
    if (typeof text === "string" && text.startsWith("mark ")) arrivals.set(text, now);
  }
});

const agent = createAgentClient({
  url: g.url,
  token: "lc_demo_agent_token_0001",
  WebSocket: WebSocket as unknown as WebSocketCtor,
});
const sid = agent.startSession({ agent: AGENT });
await agent.idle();
const msg = (text: string) => ({
  id: `m_${text.slice(5)}`,
  role: "user",
  format: "text",
  text,
  ts: new Date().toISOString(),
});

// 1. Throughput: EVENTS publishes at once; until every one is acknowledged.
let refused = 0;
const t0 = performance.now();
const all: Promise<{ ok: boolean }>[] = [];
for (let i = 0; i < EVENTS; i++) all.push(agent.publish("message_received", sid, msg(`bulk ${i}`)));
for (const r of await Promise.all(all)) if (!r.ok) refused++;
const bulkMs = performance.now() - t0;

// 2. Latency at a steady rate: publish → the supervisor's stream.
const sentAt = new Map<string, number>();
const total = Math.round(RATE * SECONDS);
const start = performance.now();
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const text = `mark ${i}`;
  sentAt.set(text, performance.now());
  void agent.publish("message_received", sid, msg(text));
}
await agent.idle();
const deadline = performance.now() + 5000;
while (arrivals.size < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
const lat: number[] = [];
for (const [text, at] of sentAt) {
  const got = arrivals.get(text);
  if (got !== undefined) lat.push(got - at);
}
const rows: [string, string][] = [
  [
    "published and acknowledged, one runtime socket",
    `${((EVENTS / bulkMs) * 1000).toFixed(0)} events/s (${EVENTS} in ${(bulkMs / 1000).toFixed(2)} s, ${refused} refused)`,
  ],
  [
    `publish → supervisor stream at ${RATE}/s for ${SECONDS} s`,
    `p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms (${lat.length}/${total} arrived)`,
  ],
  ["supervisor stream gaps", String(gaps)],
];
for (const [what, value] of rows) process.stdout.write(`${what.padEnd(52)} ${value}\n`);
agent.close();
sup.close();
await g.stop();
process.exit(0);
