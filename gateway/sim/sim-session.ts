/**
 * One simulated conversation: user turns, agent replies streamed as token
 * deltas, voice interim transcripts, errors, hand-offs, and the effects of
 * supervisor interventions (pause, resume, override, transfer, …).
 */
import type { Channel, Message, Priority, Session } from "../../utils/protocol/index.ts";
import { HUMAN_QUEUE_AGENT } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { Rng } from "./rng.ts";
import { attachmentFor, fill, type topicFor, userName } from "./sim-content.ts";
import { afterHandBack } from "./sim-handback.ts";
import { createHumanDesk, DEFAULT_HUMAN_QUEUE, type HumanQueueOptions } from "./sim-human-queue.ts";
import { createSessionInsight, type InsightOptions } from "./sim-insight.ts";
import type { SimOutlet } from "./sim-outlet.ts";
import { createReplyRunner, type ReplyPace } from "./sim-reply.ts";
import { createReviewDesk, DEFAULT_REVIEW, type ReviewOptions, redraft } from "./sim-review.ts";
import { followWhisper } from "./sim-whisper.ts";

export type AgentRefT = { id: string; name: string; color: string };

export interface SimPace extends ReplyPace {
  /** How long a simulated user waits before the next message, in ms. */
  userGapMs(): number;
}

export interface SimSessionInit {
  id: string;
  org: SimOutlet;
  clock: Clock;
  rng: Rng;
  pace: SimPace;
  agent: AgentRefT;
  channel: Channel;
  priority: Priority;
  topic: ReturnType<typeof topicFor>;
  /** Agents this one may hand the conversation to. */
  colleagues: AgentRefT[];
  /** Whether the simulated user keeps talking on its own. */
  auto: boolean;
  maxTurns: number;
  onEnd(): void;
  /** Called when the simulated user escalates to urgent (the gateway's automated policy may intervene). */
  onEscalation?: ((sessionId: string) => void) | undefined;
  /** AI insight (steps, scores, usage, hand-off requests); `{chance: false}` makes it follow the words alone. */
  insight?: InsightOptions | undefined;
  /** Review mode: how long a draft waits and what happens then. */
  review?: ReviewOptions | undefined;
  /** Starts in review mode (its agent is reviewed as a whole). */
  reviewing?: boolean | undefined;
  /** The human queue: its give-up time, and (tests) a fixed pick-up wait. */
  humanQueue?: HumanQueueOptions | undefined;
  /** The session waits in the human queue (true), or no longer (false): it says nothing meanwhile. */
  onQueue?: ((waiting: boolean) => void) | undefined;
}

export interface SimSession {
  readonly id: string;
  readonly ended: boolean;
  readonly paused: boolean;
  /** The message id of the reply being prepared or streamed, if any. */
  readonly replyId: string | null;
  start(): void;
  userMessage(text?: string): void;
  pause(): void;
  resume(): void;
  systemMessage(text: string): void;
  override(text: string): void;
  /** A supervisor's hidden instruction: the agent's next reply follows it (the user never sees it). */
  whisper(text: string): void;
  transfer(to: AgentRefT | "human"): void;
  /** A supervisor takes the conversation: the agent stays silent (a reply in flight is dropped). */
  takeOver(): void;
  /** The supervisor's own reply (role supervisor), kept in the agent's context. */
  humanReply(text: string): void;
  /** The agent resumes, with the supervisor's replies in its context. */
  handBack(): void;
  /** Review mode on or off: the agent's replies are held as drafts until approved. */
  reviewMode(enabled: boolean): void;
  /** Sends a waiting draft, as written or with `text`; false when no such draft waits. */
  approveDraft(draftId: string, text?: string, by?: string): boolean;
  /** Drops a waiting draft; the agent writes another. False when no such draft waits. */
  rejectDraft(draftId: string, by?: string): boolean;
  readonly draftsWaiting: number;
  /** The agent answering now (it changes with a transfer). */
  readonly agentId: string;
  end(reason: string): void;
  /** Cancels timers without emitting anything (gateway shutdown). */
  stop(): void;
}

export function createSimSession(init: SimSessionInit): SimSession {
  const { id, org, clock, rng, pace, topic } = init;
  const voice = init.channel === "phone" || init.channel === "sip";
  let agent = init.agent;
  let ended = false;
  let paused = false;
  let human = false;
  let pendingUser = false;
  let overrideNext: string | null = null;
  let interrupted: string | null = null;
  /** Whispered instructions the next reply follows, oldest first. */
  const whispers: string[] = [];
  /** Taken over by a supervisor: the agent stays silent. */
  let held = false;
  /** The supervisor's replies during a take-over, for the agent's first reply after it. */
  let humanTurns: string[] = [];
  /** The next reply is a new try after a rejected draft. */
  let redraftNext = false;
  let turns = 0;
  let msgN = 0;
  let cancelUser: (() => void) | null = null;
  const insight = createSessionInsight({
    id,
    org,
    clock,
    // A stream of its own, so the conversation's content is what it was without insight, for the same seed.
    rng: rng.fork(0x1a51),
    scale: pace.scale,
    tags: topic.tags,
    contextSize: () => msgN,
    options: init.insight,
  });
  const runner = createReplyRunner(id, {
    org,
    clock,
    rng,
    pace,
    speaker: () => (voice ? agent.name : null),
    steps: insight.steps,
    usage: insight.usage,
    hold: (r) => desk.hold(r),
    onSent(r) {
      turns += 1;
      // A hand-off request waits for a supervisor; meanwhile the agent keeps the user company.
      insight.afterReply(r, r.latencyMs);
      afterReply();
    },
  });
  const desk = createReviewDesk({
    sessionId: id,
    org,
    clock,
    options: init.review ?? DEFAULT_REVIEW,
    send: (r, text, edited) => runner.deliver(r, text, edited),
    dropped: () => {
      if (!ended) scheduleUser();
    },
  });
  desk.enabled = init.reviewing === true;
  /** The agent before the human queue: it carries on when nobody picks the session up in time. */
  let beforeQueue: AgentRefT = agent;
  const humans = createHumanDesk({
    sessionId: id,
    org,
    clock,
    // A stream of its own, so the conversation's content is what it was before the queue existed.
    rng: rng.fork(0x4a0e),
    options: init.humanQueue ?? DEFAULT_HUMAN_QUEUE,
    pickedUp(by) {
      if (ended) return;
      init.onQueue?.(false);
      system("agent_transferred", `${by.name} from the support team has joined the conversation.`);
      if (init.auto && !cancelUser)
        cancelUser = clock.setTimer(pace.userGapMs() * 2, () => self.end("handed_off"));
    },
    expired() {
      if (ended) return;
      init.onQueue?.(false);
      human = false;
      agent = beforeQueue;
      org.emit("session_updated", id, { agent, status: paused ? "paused" : "active" });
      system("notice", `Nobody from the team was free in time; ${agent.name} carries on.`);
      if (pendingUser) startReply();
      else scheduleUser();
    },
  });
  /** Into the human queue: the user is told, the queue announces `waiting`. */
  const toHumans = (text: string) => {
    human = true;
    beforeQueue = agent;
    org.emit("session_updated", id, { status: paused ? "paused" : "transferring", agent: HUMAN_QUEUE_AGENT });
    system("handoff_initiated", text);
    humans.enqueue();
    init.onQueue?.(true);
  };
  const iso = () => new Date(clock.now()).toISOString();
  const msgId = () => `msg_${id.slice(4)}_${(++msgN).toString(36)}`;
  const send = (m: Omit<Message, "id" | "ts"> & { id?: string }) =>
    org.emit(m.role === "user" ? "message_received" : "message_sent", id, {
      id: m.id ?? msgId(),
      ts: iso(),
      ...m,
    });
  const system = (system_kind: NonNullable<Message["system_kind"]>, text: string) =>
    send({ role: "system", format: "text", text, system_kind });

  function scheduleUser(ms = pace.userGapMs()): void {
    if (!init.auto || ended || cancelUser) return;
    cancelUser = clock.setTimer(ms, () => {
      cancelUser = null;
      userTurn();
    });
  }

  function userTurn(text?: string): void {
    if (ended) return;
    const first = turns === 0 && msgN <= 1;
    const said = text ?? fill(first ? rng.pick(topic.opener) : rng.pick(topic.followUps), rng);
    const mid = msgId();
    const scored = insight.scoreUser(said);
    if (voice) {
      const words = said.split(" ");
      const partial = words.slice(0, Math.max(1, Math.ceil(words.length / 2))).join(" ");
      const speaker = "caller";
      send({
        id: mid,
        role: "user",
        format: "text",
        text: partial,
        voice: { speaker, confidence: 0.55 + rng.next() * 0.2, is_final: false },
      });
      send({
        id: mid,
        role: "user",
        format: "text",
        text: said,
        voice: { speaker, confidence: finalConfidence(rng.next()), is_final: true },
        ...scored,
      });
    } else {
      const attach = text === undefined && rng.chance(0.15);
      send({
        id: mid,
        role: "user",
        format: "text",
        text: said,
        ...(attach ? { attachments: [attachmentFor(rng)] } : {}),
        ...scored,
      });
    }
    if (text === undefined && rng.chance(0.05)) {
      const priority = rng.chance(0.5) ? "urgent" : "high";
      org.emit("session_updated", id, { priority, tags: [...topic.tags, "escalated"] });
      if (priority === "urgent") init.onEscalation?.(id);
    }
    if (paused || human || held) {
      pendingUser = true;
      return;
    }
    if (!runner.current) startReply();
  }

  function startReply(): void {
    if (ended || paused || human || held || runner.current) return;
    pendingUser = false;
    let text = overrideNext ?? interrupted ?? fill(rng.pick(topic.replies), rng);
    if (overrideNext === null) {
      for (const w of whispers.splice(0).reverse()) text = followWhisper(w, text);
      if (humanTurns.length > 0) text = afterHandBack(humanTurns, text);
      humanTurns = [];
      if (redraftNext) text = redraft(text);
    }
    redraftNext = false;
    runner.start(msgId(), text, overrideNext !== null);
    overrideNext = null;
    interrupted = null;
  }

  function afterReply(): void {
    if (turns >= init.maxTurns) {
      cancelUser = clock.setTimer(pace.userGapMs(), () =>
        self.end(rng.chance(0.7) ? "resolved" : "user_left"),
      );
      return;
    }
    if (init.auto && rng.chance(0.05) && !human) {
      const next = init.colleagues.filter((a) => a.id !== agent.id);
      if (next.length > 0) {
        agent = rng.pick(next);
        org.emit("session_updated", id, { agent });
        system("agent_transferred", `${agent.name} has taken over the conversation.`);
      }
    } else if (init.auto && rng.chance(0.04) && !human) {
      toHumans("The agent asked for a human colleague to take over.");
      return;
    }
    scheduleUser();
  }

  /** Stops the reply in flight; a paused agent later gives the same answer again ("continues where it left off"). */
  function cancelInFlight(keepText: boolean): void {
    const r = runner.cancel();
    if (!r) return;
    pendingUser = true;
    interrupted = keepText && !r.overridden ? r.text : null;
  }

  const self: SimSession = {
    id,
    get ended() {
      return ended;
    },
    get paused() {
      return paused;
    },
    get replyId() {
      return runner.current?.id ?? null;
    },
    start() {
      const session: Session = {
        id,
        agent,
        channel: init.channel,
        user: { id: `usr_${rng.id(8)}`, name: userName(rng) },
        priority: init.priority,
        status: "active",
        started_at: iso(),
        last_activity_at: iso(),
        preview: "",
        message_count: 0,
        tags: [...topic.tags],
        metadata: voice ? { call_id: `call_${rng.id(10)}`, locale: "en-US" } : { locale: "en-US" },
        ...(desk.enabled ? { review: { enabled: true, drafts_waiting: 0 } } : {}),
      };
      org.emit("session_started", id, session);
      system("user_joined", `${session.user.name ?? "A user"} joined the conversation.`);
      scheduleUser(rng.int(100, 600));
    },
    userMessage(text) {
      cancelUser?.();
      cancelUser = null;
      userTurn(text);
    },
    pause() {
      if (ended) return;
      cancelInFlight(true);
      paused = true;
      org.emit("session_updated", id, { status: "paused" });
      system("paused", "The conversation is paused for a moment.");
    },
    resume() {
      if (ended) return;
      insight.handoffAnswered();
      paused = false;
      org.emit("session_updated", id, { status: human && humans.waiting ? "transferring" : "active" });
      system("resumed", "The conversation has resumed.");
      if (pendingUser) startReply();
      else scheduleUser();
    },
    systemMessage(text) {
      if (!ended) system("notice", text);
    },
    override(text) {
      if (ended) return;
      insight.handoffAnswered();
      if (runner.current) runner.replace(text);
      else overrideNext = text;
    },
    whisper(text) {
      if (!ended && text.trim() !== "") whispers.push(text);
    },
    takeOver() {
      if (ended || held) return;
      cancelInFlight(false);
      held = true;
      system("notice", "A member of our team has joined the conversation.");
    },
    humanReply(text) {
      if (ended) return;
      send({ role: "supervisor", format: "text", text });
      humanTurns.push(text);
    },
    handBack() {
      if (ended || !held) return;
      held = false;
      system("notice", "The assistant is back in the conversation.");
      if (pendingUser) startReply();
      else scheduleUser();
    },
    reviewMode(enabled) {
      if (!ended) desk.enabled = enabled;
    },
    approveDraft(draftId, text, by) {
      return !ended && desk.approve(draftId, text, by);
    },
    rejectDraft(draftId, by) {
      if (ended || !desk.reject(draftId, by)) return false;
      redraftNext = true;
      pendingUser = true;
      startReply();
      return true;
    },
    get draftsWaiting() {
      return desk.waiting;
    },
    get agentId() {
      return agent.id;
    },
    transfer(to) {
      if (ended) return;
      insight.handoffAnswered();
      cancelInFlight(false);
      if (to === "human") {
        toHumans("You are being connected to a human agent.");
        return;
      }
      // Out of the human queue, if it was there: the new agent answers.
      const queued = human;
      human = false;
      humans.stop();
      if (queued) init.onQueue?.(false);
      agent = to;
      org.emit("session_updated", id, {
        agent: to,
        // "Transferring…" until the new agent's first reply (statusAfter) makes it active.
        status: paused ? "paused" : "transferring",
        ...(queued ? { human_queue: null } : {}),
      });
      system("agent_transferred", `${to.name} has joined the conversation.`);
      if (pendingUser) startReply();
      else scheduleUser();
    },
    end(reason) {
      if (ended) return;
      self.stop();
      ended = true;
      org.emit("session_ended", id, { reason, ended_at: iso() });
      init.onEnd();
    },
    stop() {
      cancelUser?.();
      runner.cancel();
      desk.stop();
      humans.stop();
      cancelUser = null;
    },
  };
  return self;
}

/**
 * A final voice line's recognition confidence from one uniform draw: about
 * one line in seven is hard to hear (0.55–0.79), the rest read well (0.82–0.98).
 */
export function finalConfidence(u: number): number {
  const c = u < 0.15 ? 0.55 + (u / 0.15) * 0.24 : 0.82 + ((u - 0.15) / 0.85) * 0.16;
  return Math.round(c * 100) / 100;
}
