/**
 * A real agent runtime with two sessions on a test gateway, and a Node worker
 * (with a fake panel) watching the first one until its transcript is loaded.
 * The second session is the runtime's filler: events on it move the history
 * window without touching the watched transcript.
 */
import WebSocket from "ws";
import { type AgentClient, createAgentClient, type WebSocketCtor } from "../../agent-client/index.ts";
import type { Transcript } from "../../utils/panel-messages";
import { DEMO_AGENT_TOKEN, EXAMPLE_AGENT } from "./agent-socket.ts";
import type { TestGateway } from "./gateway";
import { until } from "./until.ts";
import { createFakePanel, type NodeWorker, startNodeWorker } from "./worker-node";

export interface WatchedRuntime {
  agent: AgentClient;
  worker: NodeWorker;
  panel: ReturnType<typeof createFakePanel>;
  /** The watched session, and the filler session. */
  sid: string;
  other: string;
  transcript(): Transcript | undefined;
}

/** `onAgent` / `onWorker` hand each part over as soon as it exists, so a failing test still closes it. */
export async function startWatchedRuntime(
  gw: TestGateway,
  firstUserText: string,
  own: { onAgent(a: AgentClient): void; onWorker(w: NodeWorker): void },
): Promise<WatchedRuntime> {
  const agent = createAgentClient({
    url: gw.url,
    token: DEMO_AGENT_TOKEN,
    WebSocket: WebSocket as unknown as WebSocketCtor,
    backoff: { minMs: 20, maxMs: 100 },
  });
  own.onAgent(agent);
  const sid = agent.startSession({ agent: EXAMPLE_AGENT, channel: "web", user: { id: "u1", name: "Ana" } });
  const other = agent.startSession({ agent: EXAMPLE_AGENT, channel: "web", user: { id: "u2", name: "Bo" } });
  agent.userMessage(sid, firstUserText);
  await agent.idle();

  const worker = await startNodeWorker({ gatewayUrl: gw.url, token: gw.tokens.supervisor });
  own.onWorker(worker);
  const panel = createFakePanel();
  worker.core.connectPanel(panel.port);
  panel.send({ type: "watch", session_ids: [sid] });
  const transcript = (): Transcript | undefined =>
    worker.core.panelState().transcripts.find((t) => t.session_id === sid);
  await until("loaded", () => transcript()?.loaded === true && transcript()?.messages.length === 1, 10_000);
  return { agent, worker, panel, sid, other, transcript };
}
