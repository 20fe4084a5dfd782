/**
 * The human queue's outcome from the runtime's side (issue 24): a session
 * waits for a person, a person picked it up, or nobody did in time. A runtime
 * publishes it with `client.humanQueue(…)`; a CRM or ticketing system that
 * only learns of the pick-up reports it over HTTP with `postHumanQueue(…)`
 * (`POST /v1/agent/events`, an agent token for the session's agent).
 */
import type { HumanQueueState, HumanQueueStatus } from "../utils/protocol";

export interface HumanQueueUpdate {
  status: HumanQueueStatus;
  /** Who picked it up (a person: any id and display name). */
  by?: { id: string; name: string };
  /** When the session joined the queue (`waiting`); default now. */
  queuedAt?: Date;
  /** When the queue gives up on it (`waiting`); default: the gateway's `--human-queue-timeout-ms`. */
  expiresAt?: Date;
  /** When this status began; default now. */
  at?: Date;
}

/** The `human_queue` event's data for an update. */
export function humanQueueData(u: HumanQueueUpdate): HumanQueueState {
  const at = (u.at ?? new Date()).toISOString();
  const data: HumanQueueState = { status: u.status, at };
  if (u.status === "waiting") data.queued_at = u.queuedAt?.toISOString() ?? at;
  else if (u.queuedAt) data.queued_at = u.queuedAt.toISOString();
  if (u.expiresAt) data.expires_at = u.expiresAt.toISOString();
  if (u.by) data.by = { id: u.by.id, name: u.by.name };
  return data;
}

export interface PostHumanQueueOptions {
  /** The gateway's base URL, e.g. `https://gateway.example.com`. */
  url: string;
  /** An agent token that lists the session's agent. */
  token: string;
  /** Idempotency key; send the same one again after a failure (default: a random one per call). */
  pubId?: string;
  fetch?: typeof fetch;
}

export type PostHumanQueueResult =
  | { ok: true; seq: number }
  | { ok: false; status: number; code: string; message: string };

/** Reports a human queue update over HTTP (for systems without a runtime link). */
export async function postHumanQueue(
  opts: PostHumanQueueOptions,
  sessionId: string,
  update: HumanQueueUpdate,
): Promise<PostHumanQueueResult> {
  const pub_id = opts.pubId ?? `hq_${Math.random().toString(36).slice(2, 12)}`;
  const res = await (opts.fetch ?? fetch)(new URL("/v1/agent/events", opts.url), {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${opts.token}` },
    body: JSON.stringify({
      pub_id,
      event: { kind: "human_queue", session_id: sessionId, data: humanQueueData(update) },
    }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    seq?: unknown;
    error?: { code?: unknown; message?: unknown };
  };
  if (res.ok && typeof body.seq === "number") return { ok: true, seq: body.seq };
  return {
    ok: false,
    status: res.status,
    code: typeof body.error?.code === "string" ? body.error.code : `HTTP_${res.status}`,
    message: typeof body.error?.message === "string" ? body.error.message : res.statusText,
  };
}
