/**
 * An example agent runtime: conversations answered by a streaming model (the
 * fake one by default), published through the agent client, obeying the
 * supervisors: pause stops replying (a reply in flight is cancelled and given
 * again on resume), resume continues, system_message is shown to the user,
 * override sends the supervisor's text instead of the reply (in flight, else
 * the next one), transfer hands the conversation off and ends it here.
 * Review mode (per session, or an admin's for the whole agent): each reply
 * streams as usual but is held as a draft (`review-drafts.ts`) until a
 * supervisor approves, edits or rejects it; after a rejection the agent writes
 * another, with the supervisor's reason as its instruction.
 */
import type { AgentClient, AgentClientOptions } from "./client";
import { createAgentClient } from "./client";
import { createFakeLlm, type FakeLlm, withInstruction } from "./fake-llm";
import type { Intervention, InterventionAnswer } from "./interventions";
import { createDraftDesk, type DraftDeskOptions } from "./review-drafts";

export const EXAMPLE_AGENT = { id: "agt_example", name: "Example Agent", color: "#0891b2" };

export interface ExampleRuntimeOptions extends AgentClientOptions {
  agent?: { id: string; name: string; color: string };
  llm?: FakeLlm;
  /** Review mode: how long a draft waits and what happens then (default: 120 s, held back). */
  review?: DraftDeskOptions;
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
  /** Review mode: replies wait as drafts for a supervisor. */
  review: boolean;
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
  /** The question each waiting draft answers (a rejected one is answered again). */
  const redraftQuestion = new Map<string, string>();
  const desk = createDraftDesk(client, {
    ...opts.review,
    onExpired(d, outcome) {
      redraftQuestion.delete(d.draft_id);
      opts.review?.onExpired?.(d, outcome);
    },
  });
  /** Review mode for every conversation of the agent, those started later too (an admin's choice). */
  let reviewAll = false;

  async function answer(sid: string, c: Conversation): Promise<void> {
    if (c.paused || c.held || c.ended || c.reply || c.pending === null) return;
    const question = c.pending;
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
    const held = c.review;
    const r = await client.streamReply(sid, llm.stream(prompt, abort.signal), {
      messageId: id,
      signal: abort.signal,
      send: !held,
    });
    if (c.reply?.id === id) c.reply = null;
    if (r.cancelled) return;
    // Review mode: the finished reply waits for a supervisor; the user sees nothing yet.
    if (held) redraftQuestion.set(desk.hold(sid, id, r.text).draft_id, question);
    c.pending = null;
  }

  /** Review mode: approve (as written or edited) or reject a waiting draft; a rejection gets a new draft. */
  function resolve(
    iv: Extract<Intervention, { action: "approve_draft" | "reject_draft" }>,
    c: Conversation,
  ): InterventionAnswer {
    const draftId = iv.payload.draft_id;
    const d =
      iv.action === "approve_draft"
        ? desk.approve(draftId, iv.payload.text, iv.admin_id)
        : desk.reject(draftId, iv.admin_id);
    if (!d) return { outcome: "rejected", detail: `No draft ${draftId} is waiting for approval.` };
    if (iv.action === "reject_draft") {
      // The agent tries again, told why the draft was rejected (a real runtime puts it in the prompt).
      c.pending = redraftQuestion.get(d.draft_id) ?? "";
      c.instruction = `Say it another way: ${iv.reason}`;
      void answer(iv.session_id, c);
    }
    redraftQuestion.delete(d.draft_id);
    return { outcome: "applied" };
  }

  function obey(iv: Intervention): InterventionAnswer {
    const c = conversations.get(iv.session_id);
    if (!c || c.ended) return { outcome: "rejected", detail: "This runtime has no such open conversation." };
    const sid = iv.session_id;
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
        client.systemMessage(sid, iv.payload.text, "notice");
        return { outcome: "applied" };
      case "override": {
        const text = iv.payload.text;
        if (c.reply) {
          const { id, abort } = c.reply;
          abort.abort();
          c.reply = null;
          c.pending = null;
          client.agentMessage(sid, text, { id, overridden: true });
        } else c.overrideNext = text;
        return { outcome: "applied" };
      }
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
        c.instruction = iv.payload.text;
        return { outcome: "applied" };
      case "take_over":
        c.reply?.abort.abort();
        c.reply = null;
        c.held = true;
        client.systemMessage(sid, "A member of our team has joined the conversation.", "notice");
        return { outcome: "applied" };
      case "takeover_reply":
        if (!c.held) return { outcome: "rejected", detail: "The conversation is not taken over." };
        client.supervisorMessage(sid, iv.payload.text);
        c.pending = null; // the supervisor answered it
        return { outcome: "applied" };
      case "hand_back":
        c.held = false;
        client.systemMessage(sid, "The assistant is back in the conversation.", "notice");
        void answer(sid, c);
        return { outcome: "applied" };
      case "review_mode": {
        // The gateway shows `review` on the sessions; the runtime holds the replies.
        const on = iv.payload.enabled;
        if (iv.payload.agent_id !== undefined) {
          if (iv.payload.agent_id === agent.id) {
            reviewAll = on;
            for (const x of conversations.values()) x.review = on;
          }
          c.review = on; // the session named, whatever its agent
        } else c.review = on;
        return { outcome: "applied" };
      }
      case "approve_draft":
      case "reject_draft":
        return resolve(iv, c);
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
        ...(reviewAll ? { review: { enabled: true, drafts_waiting: 0 } } : {}),
      });
      conversations.set(sid, {
        paused: false,
        ended: false,
        pending: null,
        overrideNext: null,
        instruction: null,
        held: false,
        review: reviewAll,
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
      desk.stop();
      client.close();
    },
  };
}
