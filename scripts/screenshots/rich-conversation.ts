/**
 * The conversation the transcript screenshot shows: published by an agent
 * runtime over the gateway's real /v1/agent socket (the agent client), so its
 * words are fixed — a pricing table and a code block — whatever the simulation
 * happens to say.
 */
import WebSocket from "ws";
import { createAgentClient, EXAMPLE_AGENT, type WebSocketCtor } from "../../agent-client/index.ts";

export const RICH_REPLY = [
  "Here are the plans for a team your size:",
  "",
  "| Plan | Seats | Price |",
  "|---|---|---|",
  "| Starter | up to 10 | $9/mo |",
  "| **Pro** | up to 50 | $29/mo |",
  "| Enterprise | unlimited | talk to us |",
  "",
  "To change the card on file from your own code:",
  "",
  "```bash",
  "curl -X POST https://api.example.com/v1/cards \\",
  "  -H 'Authorization: Bearer $TOKEN' \\",
  "  -d card=tok_visa",
  "```",
  "",
  "Teams over 25 seats get **15% off** on *annual* billing.",
].join("\n");

export interface RichConversation {
  sessionId: string;
  close(): void;
}

/**
 * Publishes the conversation as `agent` (one the token may publish for: the demo agent token's is the
 * example runtime's agent) and resolves once the gateway answered every event.
 */
export async function publishRichConversation(
  gatewayUrl: string,
  agentToken: string,
  agent: { id: string; name: string; color: string } = EXAMPLE_AGENT,
): Promise<RichConversation> {
  let opened: () => void = () => undefined;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const client = createAgentClient({
    url: gatewayUrl,
    token: agentToken,
    runtimeId: "screenshots",
    WebSocket: WebSocket as unknown as WebSocketCtor,
    onState: (state) => {
      if (state === "open") opened();
    },
  });
  // Publish on an open link, so that `idle()` below waits for the gateway's answer to every event.
  await open;
  const sessionId = client.startSession({
    agent,
    channel: "web",
    user: { id: "usr_priya", name: "Priya Tanaka" },
    priority: "normal",
    tags: ["pricing"],
  });
  client.userMessage(
    sessionId,
    "We are about 40 people. What would that cost, and can we update our card by API?",
  );
  client.agentMessage(sessionId, RICH_REPLY, { format: "markdown" });
  client.userMessage(sessionId, "Perfect, Pro it is. Thanks!");
  client.agentMessage(sessionId, "Great choice! I've sent the **Pro** quote to your email.", {
    format: "markdown",
  });
  await client.idle();
  return { sessionId, close: () => client.close() };
}
