/**
 * Helpers of the command, authorization and audit fault tests (issue #9,
 * items 7, 8, 10, 13): send a command on a socket or over HTTP and read its
 * answer, and count what commands did — `intervention_triggered` events in an
 * org's log and records in its audit log.
 */
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { EventFrame, SingleServerFrame } from "../../utils/protocol/index.ts";
import { api, type TestClient, type TestGateway } from "../helpers/gateway.ts";

export type CommandBody = {
  cmd_id: string;
  action: string;
  session_id: string;
  reason: string;
  payload: Record<string, unknown>;
};

/** What one attempt got back, on either transport. */
export type Outcome =
  | { ok: true; intervention_id: string }
  | { ok: false; code: string; status?: number; retry_after_ms?: number };

/** A payload the action accepts (`text` for messages, a real agent for transfers). */
export function payloadFor(action: string, text = "Hello from a supervisor"): Record<string, unknown> {
  if (
    action === "system_message" ||
    action === "override" ||
    action === "whisper" ||
    action === "takeover_reply"
  )
    return { text };
  if (action === "transfer") return { agent_id: "agt_sales" };
  if (action === "review_mode") return { enabled: true };
  if (action === "approve_draft" || action === "reject_draft") return { draft_id: "drf_fault" };
  return {};
}

/** Actions that need the caller to hold the session's take-over lock first (issue 12). */
export const NEEDS_TAKEOVER: readonly string[] = ["takeover_reply", "hand_back"];

/** Sends a command frame and resolves with its ack or command_error (frames from now on only). */
export async function commandOnSocket(
  c: TestClient,
  body: CommandBody,
  timeoutMs = 10_000,
): Promise<Outcome> {
  const from = c.frames.length;
  c.send({ type: "command", ...body });
  return socketAnswer(c, body.cmd_id, from, timeoutMs);
}

/** The answer to `cmdId` among the frames received from index `from` on. */
export async function socketAnswer(
  c: TestClient,
  cmdId: string,
  from: number,
  timeoutMs = 10_000,
): Promise<Outcome> {
  const f = await c.waitFor(
    (x) => (x.type === "ack" || x.type === "command_error") && x.cmd_id === cmdId,
    timeoutMs,
    from,
  );
  return toOutcome(f);
}

export function toOutcome(f: SingleServerFrame): Outcome {
  if (f.type === "ack") return { ok: true, intervention_id: f.intervention_id };
  if (f.type === "command_error")
    return {
      ok: false,
      code: f.code,
      ...(f.retry_after_ms !== undefined ? { retry_after_ms: f.retry_after_ms } : {}),
    };
  throw new Error(`not a command answer: ${f.type}`);
}

/** POST /v1/commands with the Idempotency-Key header, as the worker does while polling. */
export async function commandOverHttp(
  tg: Pick<TestGateway, "url">,
  token: string,
  body: CommandBody,
): Promise<Outcome> {
  const r = await api(tg, token, "/v1/commands", { body, headers: { "idempotency-key": body.cmd_id } });
  if (r.status === 200) return { ok: true, intervention_id: r.body.intervention_id };
  return {
    ok: false,
    code: r.body?.error?.code ?? `HTTP ${r.status}`,
    status: r.status,
    ...(r.body?.error?.retry_after_ms !== undefined ? { retry_after_ms: r.body.error.retry_after_ms } : {}),
  };
}

/** Every event of the org's log (it must still hold them all). */
export function orgEvents(org: OrgRuntime): EventFrame[] {
  const all: EventFrame[] = [];
  for (let after = 0; ; ) {
    const batch = org.state.log.readAfter(after, 5000);
    if (batch === null) throw new Error("the org's history no longer holds every event");
    if (batch.length === 0) return all;
    all.push(...batch);
    after = batch[batch.length - 1]?.seq ?? after;
  }
}

/** How many `intervention_triggered` events each cmd_id caused (the effects of commands). */
export function effectsByCmd(events: Iterable<EventFrame>): Map<string, number> {
  const n = new Map<string, number>();
  for (const e of events)
    if (e.kind === "intervention_triggered") {
      const id = (e.data as { cmd_id?: string }).cmd_id ?? "";
      n.set(id, (n.get(id) ?? 0) + 1);
    }
  return n;
}

export interface ListedIntervention {
  intervention_id: string;
  cmd_id: string;
  admin_id: string;
  session_id: string;
  type: string;
  seq: number;
  outcome?: string;
}

/** The whole audit listing of the caller's org through GET /v1/interventions, page by page. */
export async function listInterventions(
  tg: Pick<TestGateway, "url">,
  token: string,
  includeRefused = false,
): Promise<ListedIntervention[]> {
  const all: ListedIntervention[] = [];
  for (let after = 0; ; ) {
    const q = `/v1/interventions?limit=1000&after=${after}${includeRefused ? "&include_refused=true" : ""}`;
    const r = await api(tg, token, q);
    if (r.status !== 200) throw new Error(`GET ${q}: HTTP ${r.status}`);
    const page = r.body.interventions as ListedIntervention[];
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1]?.seq ?? after;
  }
}

/** Counts occurrences of each key. */
export function tally<T>(items: Iterable<T>, key: (x: T) => string): Map<string, number> {
  const n = new Map<string, number>();
  for (const x of items) n.set(key(x), (n.get(key(x)) ?? 0) + 1);
  return n;
}
