/**
 * An example agent runtime: conversations answered by a streaming model (the
 * fake one by default), published through the agent client, obeying the
 * supervisors: pause stops replying (a reply in flight is cancelled and given
 * again on resume), resume continues, system_message is shown to the user,
 * override sends the supervisor's text instead of the reply (in flight, else
 * the next one), transfer hands the conversation off and ends it here.
 */
import type { AgentClient, AgentClientOptions } from "./client";
import { createAgentClient } from "./client";
import { createFakeLlm, type FakeLlm, withInstruction } from "./fake-llm";
import type { Intervention, InterventionAnswer } from "./interventions";

export const EXAMPLE_AGENT = { id: "agt_example", name: "Example Agent", color: "#0891b2" };

export interface ExampleRuntimeOptions extends AgentClientOptions {
  agent?: { id: string; name: string; color: string };
  llm?: FakeLlm;
}

interface Conversation {
  paused: boolean;
  ended: boolean;
  /** The user's last message not answered yet. */
  pending: string | null;
  overrideNext: string | null;
  /** A supervisor's whisper, for the next reply only (the user never sees it). */
  instruction: string | null;
  /** Taken over by a supervisor: the agent stays silent until handed back. */
  held: boolean;
  reply: { id: string; abort: AbortController } | null;
}

export interface ExampleRuntime {
  readonly client: AgentClient;
  /** Opens a conversation; returns its session id. */
  start(
    user?: { id: string; name?: string },
    channel?: "web" | "mobile_sdk" | "telegram" | "whatsapp",
  ): string;
  /** The user says something; resolves once the agent has answered (or could not: paused, ended). */
  userSays(sessionId: string, text: string): Promise<void>;
  end(sessionId: string, reason?: string): void;
  isPaused(sessionId: string): boolean;
  close(): void;
}

export function createExampleRuntime(opts: ExampleRuntimeOptions): ExampleRuntime {
  const client = createAgentClient(opts);
  const llm = opts.llm ?? createFakeLlm();
  const agent = opts.agent ?? EXAMPLE_AGENT;
  const conversations = new Map<string, Conversation>();

  async function answer(sid: string, c: Conversation): Promise<void> {
    if (c.paused || c.held || c.ended || c.reply || c.pending === null) return;
    // A real runtime puts a whisper into the model's instructions; the fake model reads it from the prompt.
    const prompt = c.instruction === null ? c.pending : withInstruction(c.pending, c.instruction);
    c.instruction = null;
    const id = client.thinking(sid);
    if (c.overrideNext !== null) {
      client.agentMessage(sid, c.overrideNext, { id, overridden: true });
      c.overrideNext = null;
      c.pending = null;
      return;
    }
    const abort = new AbortController();
    c.reply = { id, abort };
    const r = await client.streamReply(sid, llm.stream(prompt, abort.signal), {
      messageId: id,
      signal: abort.signal,
    });
    if (c.reply?.id === id) c.reply = null;
    if (!r.cancelled) c.pending = null;
  }

  function obey(iv: Intervention): InterventionAnswer {
    const c = conversations.get(iv.session_id);
    if (!c || c.ended) return { outcome: "rejected", detail: "This runtime has no such open conversation." };
    const sid = iv.session_id;
    const text = typeof iv.payload.text === "string" ? iv.payload.text : "";
    switch (iv.action) {
      case "pause":
        c.paused = true;
        c.reply?.abort.abort(); // the user's question stays pending: answered again on resume
        c.reply = null;
        void client.updateSession(sid, { status: "paused" });
        client.systemMessage(sid, "The conversation is paused for a moment.", "paused");
        return { outcome: "applied" };
      case "resume":
        c.paused = false;
        void client.updateSession(sid, { status: "active" });
        client.systemMessage(sid, "The conversation has resumed.", "resumed");
        void answer(sid, c);
        return { outcome: "applied" };
      case "system_message":
        client.systemMessage(sid, text, "notice");
        return { outcome: "applied" };
      case "override":
        if (c.reply) {
          const { id, abort } = c.reply;
          abort.abort();
          c.reply = null;
          c.pending = null;
          client.agentMessage(sid, text, { id, overridden: true });
        } else c.overrideNext = text;
        return { outcome: "applied" };
      case "transfer": {
        c.reply?.abort.abort();
        c.reply = null;
        const to =
          iv.payload.queue === "human" ? "a human colleague" : String(iv.payload.agent_id ?? "a colleague");
        void client.updateSession(sid, { status: "transferring" });
        client.systemMessage(sid, `You are being connected to ${to}.`, "handoff_initiated");
        c.ended = true;
        void client.endSession(sid, "handed_off");
        return { outcome: "applied" };
      }
      case "whisper":
        c.instruction = text;
        return { outcome: "applied" };
      case "take_over":
        c.reply?.abort.abort();
        c.reply = null;
        c.held = true;
        client.systemMessage(sid, "A member of our team has joined the conversation.", "notice");
        return { outcome: "applied" };
      case "takeover_reply":
        if (!c.held) return { outcome: "rejected", detail: "The conversation is not taken over." };
        client.supervisorMessage(sid, text);
        c.pending = null; // the supervisor answered it
        return { outcome: "applied" };
      case "hand_back":
        c.held = false;
        client.systemMessage(sid, "The assistant is back in the conversation.", "notice");
        void answer(sid, c);
        return { outcome: "applied" };
      default:
        return { outcome: "rejected", detail: `The example runtime does not handle ${iv.action}.` };
    }
  }
  client.onIntervention(obey);

  let users = 0;
  return {
    client,
    start(user, channel = "web") {
      const sid = client.startSession({
        agent,
        channel,
        user: user ?? { id: `usr_example_${++users}`, name: `Example user ${users}` },
        tags: ["example"],
      });
      conversations.set(sid, {
        paused: false,
        ended: false,
        pending: null,
        overrideNext: null,
        instruction: null,
        held: false,
        reply: null,
      });
      return sid;
    },
    async userSays(sid, text) {
      const c = conversations.get(sid);
      if (!c || c.ended) return;
      client.userMessage(sid, text);
      c.pending = text;
      await answer(sid, c);
    },
    end(sid, reason = "resolved") {
      const c = conversations.get(sid);
      if (!c || c.ended) return;
      c.ended = true;
      c.reply?.abort.abort();
      void client.endSession(sid, reason);
    },
    isPaused: (sid) => conversations.get(sid)?.paused ?? false,
    close() {
      for (const c of conversations.values()) c.reply?.abort.abort();
      client.close();
    },
  };
}
