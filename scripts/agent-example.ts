/**
 * `npm run agent:example -- [--url URL] [--token TOKEN] [--conversations N]`:
 * the example agent runtime against a gateway (by default the one `npm start`
 * runs, with the demo agent token). A scripted user asks questions now and
 * then; the example agent streams its answers and obeys the supervisors'
 * interventions from the panel. Ctrl+C ends its conversations and stops.
 */
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { createExampleRuntime, type WebSocketCtor } from "../agent-client/index.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: process.env.LC_URL ?? "http://127.0.0.1:8787" },
    token: { type: "string", default: process.env.LC_AGENT_TOKEN ?? "lc_demo_agent_token_0001" },
    conversations: { type: "string", default: "2" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  process.stdout.write(
    "Usage: npm run agent:example -- [--url URL] [--token AGENT_TOKEN] [--conversations N]\n",
  );
  process.exit(0);
}
const count = Math.max(1, Math.min(50, Number(values.conversations) || 2));
const QUESTIONS = [
  "Hello, anyone there?",
  "Where is my order #A-1042?",
  "I was charged twice, can I get a refund?",
  "I cannot log in to my account.",
  "Thanks! One more question about delivery.",
];

const runtime = createExampleRuntime({
  url: values.url,
  token: values.token,
  runtimeId: "example",
  WebSocket: WebSocket as unknown as WebSocketCtor,
  onState: (state, detail) => process.stdout.write(`[agent] ${state}: ${detail}\n`),
  onError: (code, message) => process.stderr.write(`[agent] gateway says ${code}: ${message}\n`),
});
const timers: NodeJS.Timeout[] = [];
const sessions: string[] = [];
for (let i = 0; i < count; i++) {
  const sid = runtime.start();
  sessions.push(sid);
  process.stdout.write(`[agent] conversation ${sid} started\n`);
  let turn = 0;
  const talk = () => {
    void runtime.userSays(sid, QUESTIONS[turn++ % QUESTIONS.length] ?? "Hello?");
    timers.push(setTimeout(talk, 6000 + Math.random() * 6000));
  };
  timers.push(setTimeout(talk, 500 + i * 1500));
}
const stop = async () => {
  for (const t of timers) clearTimeout(t);
  for (const sid of sessions) runtime.end(sid, "runtime_stopped");
  await Promise.race([runtime.client.idle(), new Promise((r) => setTimeout(r, 2000))]);
  runtime.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
