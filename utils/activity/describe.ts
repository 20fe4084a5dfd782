/** The words of one activity-feed entry: what happened, and who it was with. */

import { plainPreview, STATUS_LABEL } from "../format";
import { ACTION_SHORT } from "../interventions";
import type { SessionStatus } from "../protocol";
import type { ActivityEntry } from "./activity-schema";
import { endReasonText } from "./end-reason";
import { type FeedKind, feedKindOf } from "./kinds";

export interface ActivityWords {
  kind: FeedKind;
  /** What happened, one line. */
  text: string;
  /** "User · Agent", or null for a system-wide entry. */
  who: string | null;
  /** For styling: ok, warn, danger or plain. */
  tone: "ok" | "warn" | "danger" | "plain";
}

const statusWord = (s: string) => (STATUS_LABEL[s as SessionStatus] ?? s).replace(/…$/, "");

/** `fallbackName` names a session the entry carries no names for (an older entry), by what the panel knows. */
export function describeActivity(
  e: ActivityEntry,
  fallbackName?: (sessionId: string) => string | null,
): ActivityWords {
  const kind = feedKindOf(e);
  const sid = e.kind === "intervention" ? e.intervention.session_id : e.session_id;
  const who = e.who
    ? `${e.who.user} · ${e.who.agent}`
    : sid
      ? (fallbackName?.(sid) ?? "Unknown session")
      : null;
  switch (e.kind) {
    case "session":
      return {
        kind,
        text:
          e.what === "started"
            ? "Session started"
            : `Session ended${e.detail ? `: ${endReasonText(e.detail)}` : ""}`,
        who,
        tone: e.what === "started" ? "ok" : "plain",
      };
    case "message":
      return {
        kind,
        text: `${e.role === "user" ? "User" : "Agent"}: ${plainPreview(e.text)}`,
        who,
        tone: "plain",
      };
    case "status":
      return { kind, text: `Status ${statusWord(e.from)} → ${statusWord(e.to)}`, who, tone: "plain" };
    case "transfer":
      return { kind, text: `Transferred from ${e.from} to ${e.to}`, who, tone: "warn" };
    case "error":
      return {
        kind,
        text: `${e.severity === "critical" ? "Critical" : e.severity === "error" ? "Error" : "Warning"} ${e.code}: ${e.message}`,
        who,
        tone: e.severity === "warning" ? "warn" : "danger",
      };
    case "intervention": {
      const i = e.intervention;
      return { kind, text: `${ACTION_SHORT[i.type] ?? i.type}: ${i.reason}`, who, tone: "warn" };
    }
    case "intervention_result": {
      const r = e.result;
      const how =
        r.outcome === "applied"
          ? "applied by the agent"
          : r.outcome === "rejected"
            ? `rejected by the agent${r.detail ? `: ${r.detail}` : ""}`
            : `failed${r.code ? ` (${r.code})` : ""}${r.detail ? `: ${r.detail}` : ""}`;
      return {
        kind,
        text: `${ACTION_SHORT[r.action] ?? r.action} ${how}`,
        who,
        tone: r.outcome === "applied" ? "ok" : "danger",
      };
    }
  }
}
