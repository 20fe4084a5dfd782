/**
 * The toolbar's controls of the open conversation: which action each button
 * sends now, whether it is busy or pressed, and its title — built from a table
 * of what each control does, not a chain of conditions.
 */
import { computed, type ReadonlySignal } from "@preact/signals";
import type { Action, Command, Session, TakeoverHolder } from "../protocol";
import { ACTION_LABELS, CONTROLS, type ControlKind } from "./action-catalog";

export interface ControlView {
  kind: ControlKind;
  action: Action;
  /** The full name (accessible name, tooltip). */
  label: string;
  /** What the button shows in the narrow panel; part of `label`. */
  short: string;
  keys: string;
  /** Tooltip: what it does and its shortcut. */
  title: string;
  /** The session has ended (or none is open): nothing applies. */
  disabled: boolean;
  /** A command of this toggle is waiting for the gateway: it stays focusable but does nothing. */
  busy: boolean;
  /** For the toggles (pause, co-browse): aria-pressed. */
  pressed?: boolean;
}

export type OverrideTarget =
  | { kind: "current"; phase: "thinking" | "streaming"; message_id: string | null; preview: string }
  | { kind: "next" };

/** What the controls are built from. */
export interface ControlsState {
  session: ReadonlySignal<Session | null>;
  overrideTarget: ReadonlySignal<OverrideTarget>;
  cobrowsing: ReadonlySignal<boolean>;
  holder: ReadonlySignal<TakeoverHolder | null>;
  heldByMe: ReadonlySignal<boolean>;
  reviewing: ReadonlySignal<boolean>;
  agentReviewing: ReadonlySignal<boolean>;
  isAdmin: ReadonlySignal<boolean>;
  /** The controls with a command of theirs waiting for the gateway (open session). */
  pendingKinds: ReadonlySignal<ReadonlySet<ControlKind>>;
}

/** The control a sent command belongs to (its busy state and status line). */
export function kindOf(cmd: Command): ControlKind {
  switch (cmd.action) {
    case "pause":
    case "resume":
      return "pause";
    case "system_message":
      return "message";
    case "cobrowse_start":
    case "cobrowse_stop":
      return "cobrowse";
    case "take_over":
    case "hand_back":
    case "takeover_reply":
      return "takeover";
    case "review_mode":
      return cmd.payload.agent_id !== undefined ? "review_agent" : "review";
    case "approve_draft":
    case "reject_draft":
      return "review";
    case "override":
    case "transfer":
    case "whisper":
      return cmd.action;
  }
}

interface KindRow {
  /** The action the control sends now. */
  action(s: ControlsState): Action;
  /** What it does, in the title's parentheses (none: null). */
  what(s: ControlsState, action: Action): string | null;
  /** Toggles (and take-over) are busy while one of their commands waits. */
  blocks: boolean;
  pressed?(s: ControlsState): boolean;
}

const TABLE: Record<ControlKind, KindRow> = {
  pause: {
    action: (s) => (s.session.value?.status === "paused" ? "resume" : "pause"),
    what: () => null,
    blocks: true,
    pressed: (s) => s.session.value?.status === "paused",
  },
  message: { action: () => "system_message", what: () => null, blocks: false },
  override: {
    action: () => "override",
    what: (s) =>
      s.overrideTarget.value.kind === "current"
        ? "replaces the reply being written now"
        : "replaces the agent's next reply",
    blocks: false,
  },
  transfer: { action: () => "transfer", what: () => null, blocks: false },
  cobrowse: {
    action: (s) => (s.cobrowsing.value ? "cobrowse_stop" : "cobrowse_start"),
    what: () => "silent monitoring, neither party is told",
    blocks: true,
    pressed: (s) => s.cobrowsing.value,
  },
  whisper: {
    action: () => "whisper",
    what: () => "a hidden instruction the agent follows; the user never sees it",
    blocks: false,
  },
  takeover: {
    action: (s) => (s.heldByMe.value ? "hand_back" : "take_over"),
    what: (s, action) => {
      const other = otherHolder(s);
      if (other) return `${other.name} has taken over`;
      return action === "take_over" ? "you reply to the user yourself; the agent stays silent" : null;
    },
    blocks: true,
    pressed: (s) => s.heldByMe.value,
  },
  review: {
    action: () => "review_mode",
    what: (s) =>
      s.reviewing.value
        ? "on: replies wait for your approval; press to switch off"
        : "hold the agent's replies as drafts until approved",
    blocks: true,
    pressed: (s) => s.reviewing.value,
  },
  review_agent: {
    action: () => "review_mode",
    what: () => "every conversation of this agent, open and later ones; every supervisor sees it",
    blocks: true,
    pressed: (s) => s.agentReviewing.value,
  },
};

/** Someone else holding the take-over lock. */
function otherHolder(s: ControlsState): TakeoverHolder | null {
  return s.holder.value !== null && !s.heldByMe.value ? s.holder.value : null;
}

/** The action a control sends now (pause or resume, co-browse on or off, take over or hand back). */
export const actionFor = (s: ControlsState, kind: ControlKind): Action => TABLE[kind].action(s);

export function createControls(s: ControlsState): ReadonlySignal<ControlView[]> {
  return computed<ControlView[]>(() => {
    const session = s.session.value;
    const live = session !== null && session.status !== "ended";
    const agentName = session?.agent.name ?? "this agent";
    return CONTROLS.filter((c) => c.kind !== "review_agent" || s.isAdmin.value).map((c) => {
      const row = TABLE[c.kind];
      const action = row.action(s);
      const label =
        c.kind === "review_agent"
          ? `${s.agentReviewing.value ? "Stop reviewing" : "Review"} every reply of ${agentName}`
          : ACTION_LABELS[action].verb;
      const what = row.what(s, action);
      const blockedByHolder = c.kind === "takeover" && otherHolder(s) !== null;
      return {
        kind: c.kind,
        action,
        label,
        short: c.kind === "review_agent" ? "Review agent" : ACTION_LABELS[action].short,
        keys: c.keys,
        title: `${label}${what ? ` (${what})` : ""} — ${c.hint}`,
        disabled: !live || blockedByHolder,
        busy: row.blocks && s.pendingKinds.value.has(c.kind),
        ...(row.pressed ? { pressed: row.pressed(s) } : {}),
      };
    });
  });
}
