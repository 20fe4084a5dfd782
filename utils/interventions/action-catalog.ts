/**
 * The intervention controls of the conversation view: one entry per toolbar
 * button (pause/resume and co-browse on/off share a button), with its label,
 * keyboard shortcut and the protocol action(s) it sends.
 */
import type { Action } from "../protocol";

export type ControlKind =
  | "pause"
  | "message"
  | "whisper"
  | "override"
  | "transfer"
  | "cobrowse"
  | "takeover"
  | "review"
  /** Review mode for every session of the open session's agent (admins only, issue 24). */
  | "review_agent";

export interface ControlInfo {
  kind: ControlKind;
  /** The KeyboardEvent.code pressed together with Alt. */
  code: string;
  /** For aria-keyshortcuts. */
  keys: string;
  /** For tooltips. */
  hint: string;
}

export const CONTROLS: readonly ControlInfo[] = [
  { kind: "pause", code: "KeyP", keys: "Alt+P", hint: "Alt+P" },
  { kind: "message", code: "KeyM", keys: "Alt+M", hint: "Alt+M" },
  { kind: "override", code: "KeyO", keys: "Alt+O", hint: "Alt+O" },
  { kind: "transfer", code: "KeyT", keys: "Alt+T", hint: "Alt+T" },
  { kind: "cobrowse", code: "KeyC", keys: "Alt+C", hint: "Alt+C" },
  { kind: "whisper", code: "KeyW", keys: "Alt+W", hint: "Alt+W" },
  { kind: "takeover", code: "KeyH", keys: "Alt+H", hint: "Alt+H" },
  { kind: "review", code: "KeyV", keys: "Alt+V", hint: "Alt+V" },
  { kind: "review_agent", code: "KeyG", keys: "Alt+G", hint: "Alt+G" },
];

/** What each action is called in buttons, dialogs and status lines. */
export const ACTION_LABELS: Record<
  Action,
  { verb: string; short: string; noun: string; doing: string; done: string }
> = {
  pause: { verb: "Pause", short: "Pause", noun: "Pause", doing: "Pausing", done: "Paused" },
  resume: { verb: "Resume", short: "Resume", noun: "Resume", doing: "Resuming", done: "Resumed" },
  system_message: {
    verb: "Send system message",
    short: "Message",
    noun: "System message",
    doing: "Sending system message",
    done: "System message sent",
  },
  review_mode: {
    verb: "Review replies before they are sent",
    short: "Review replies",
    noun: "Review mode",
    doing: "Switching review mode",
    done: "Review mode switched",
  },
  approve_draft: {
    verb: "Approve draft",
    short: "Approve",
    noun: "Approval",
    doing: "Approving",
    done: "Draft approved",
  },
  reject_draft: {
    verb: "Reject draft",
    short: "Reject",
    noun: "Rejection",
    doing: "Rejecting",
    done: "Draft rejected",
  },
  take_over: {
    verb: "Take over the conversation",
    short: "Take over",
    noun: "Take-over",
    doing: "Taking over",
    done: "Taken over",
  },
  takeover_reply: {
    verb: "Send reply as supervisor",
    short: "Send",
    noun: "Supervisor reply",
    doing: "Sending reply",
    done: "Reply sent",
  },
  hand_back: {
    verb: "Hand back to the agent",
    short: "Hand back",
    noun: "Hand-back",
    doing: "Handing back",
    done: "Handed back",
  },
  whisper: {
    verb: "Whisper to the agent",
    short: "Whisper",
    noun: "Whisper",
    doing: "Whispering",
    done: "Whisper sent",
  },
  override: {
    verb: "Override agent response",
    short: "Override",
    noun: "Override",
    doing: "Overriding",
    done: "Override sent",
  },
  transfer: {
    verb: "Transfer",
    short: "Transfer",
    noun: "Transfer",
    doing: "Transferring",
    done: "Transferred",
  },
  cobrowse_start: {
    verb: "Start co-browse",
    short: "Co-browse",
    noun: "Co-browse start",
    doing: "Starting co-browse",
    done: "Co-browsing",
  },
  cobrowse_stop: {
    verb: "Stop co-browse",
    short: "Stop co-browse",
    noun: "Co-browse stop",
    doing: "Stopping co-browse",
    done: "Co-browse stopped",
  },
};

/** Short names for the log's type column. */
export const ACTION_SHORT: Record<string, string> = {
  pause: "Pause",
  resume: "Resume",
  system_message: "System message",
  override: "Override",
  transfer: "Transfer",
  cobrowse_start: "Co-browse on",
  cobrowse_stop: "Co-browse off",
  whisper: "Whisper",
  take_over: "Take over",
  takeover_reply: "Supervisor reply",
  hand_back: "Hand back",
  review_mode: "Review mode",
  approve_draft: "Approve draft",
  reject_draft: "Reject draft",
};

export function controlFor(code: string): ControlInfo | undefined {
  return CONTROLS.find((c) => c.code === code);
}
