/**
 * A fast check for the common case of a well-formed Session, so a 10,000-
 * session init is not spent in the generic schema walker. It is stricter than
 * the protocol's Session schema (a subset of what that accepts): whatever it
 * refuses is judged again by the schema, so the two never disagree on what is
 * accepted.
 */
import type { Session } from "../protocol";
import { CHANNELS, HUMAN_QUEUE_STATUSES, PREVIEW_MAX, PRIORITIES, SESSION_STATUSES } from "../protocol";

/** A strict subset of the ISO 8601 timestamps the schema accepts. */
const TIMESTAMP =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:[12]\d|0[1-9]|3[01])T(?:[01]\d|2[0-3])(?::[0-5]\d){2}(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const CHANNEL_SET = new Set<string>(CHANNELS);
const PRIORITY_SET = new Set<string>(PRIORITIES);
const STATUS_SET = new Set<string>(SESSION_STATUSES);
const QUEUE_SET = new Set<string>(HUMAN_QUEUE_STATUSES);

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const isId = (x: unknown): x is string => typeof x === "string" && x.length >= 1 && x.length <= 200;
const isStr = (x: unknown): x is string => typeof x === "string";
const isNum = (x: unknown, min: number, max = Number.POSITIVE_INFINITY): x is number =>
  typeof x === "number" && x >= min && x <= max;
const isCount = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x) && x >= 0;
const isReason = (x: unknown): x is string => typeof x === "string" && x.length <= 500;

/** The AI insight fields (all optional): sentiment, risk, totals, hand-off request. */
function insightOk(x: Obj): boolean {
  const { risk, totals, handoff } = x;
  return (
    (x.sentiment === undefined || isNum(x.sentiment, -1, 1)) &&
    (risk === undefined || (isObj(risk) && isNum(risk.score, 0, 1) && isReason(risk.reason))) &&
    (totals === undefined ||
      (isObj(totals) &&
        isNum(totals.cost_usd, 0) &&
        isCount(totals.input_tokens) &&
        isCount(totals.output_tokens) &&
        isCount(totals.replies) &&
        (totals.avg_latency_ms === undefined || isNum(totals.avg_latency_ms, 0)) &&
        (totals.p95_latency_ms === undefined || isNum(totals.p95_latency_ms, 0)))) &&
    (handoff === undefined ||
      handoff === null ||
      (isObj(handoff) &&
        isReason(handoff.reason) &&
        isStr(handoff.requested_at) &&
        TIMESTAMP.test(handoff.requested_at)))
  );
}

export function isPlainValidSession(x: unknown): x is Session {
  if (!isObj(x)) return false;
  const { agent, user } = x;
  return (
    isId(x.id) &&
    isObj(agent) &&
    isId(agent.id) &&
    isStr(agent.name) &&
    isStr(agent.color) &&
    isStr(x.channel) &&
    CHANNEL_SET.has(x.channel) &&
    isObj(user) &&
    isId(user.id) &&
    (user.name === undefined || isStr(user.name)) &&
    isStr(x.priority) &&
    PRIORITY_SET.has(x.priority) &&
    isStr(x.status) &&
    STATUS_SET.has(x.status) &&
    isStr(x.started_at) &&
    TIMESTAMP.test(x.started_at) &&
    isStr(x.last_activity_at) &&
    TIMESTAMP.test(x.last_activity_at) &&
    isStr(x.preview) &&
    x.preview.length <= PREVIEW_MAX &&
    typeof x.message_count === "number" &&
    Number.isInteger(x.message_count) &&
    x.message_count >= 0 &&
    (x.monitored_by === undefined || (Array.isArray(x.monitored_by) && x.monitored_by.every(isId))) &&
    (x.tags === undefined || (Array.isArray(x.tags) && x.tags.every(isStr))) &&
    (x.metadata === undefined ||
      (isObj(x.metadata) && Object.getPrototypeOf(x.metadata) === Object.prototype)) &&
    insightOk(x) &&
    holderOk(x.taken_over_by) &&
    viewersOk(x.viewers) &&
    reviewOk(x.review) &&
    queueOk(x.human_queue)
  );
}

const isTime = (x: unknown): boolean => isStr(x) && TIMESTAMP.test(x);

/** Human queue (optional): waiting / picked up / expired, when, and by whom; or null. */
function queueOk(q: unknown): boolean {
  if (q === undefined || q === null) return true;
  if (!isObj(q) || !isStr(q.status) || !QUEUE_SET.has(q.status) || !isTime(q.at)) return false;
  const by = q.by;
  return (
    (q.queued_at === undefined || isTime(q.queued_at)) &&
    (q.expires_at === undefined || isTime(q.expires_at)) &&
    (by === undefined || (isObj(by) && isId(by.id) && isStr(by.name) && by.name.length <= 200))
  );
}

/** Review mode (optional): switched on, and how many drafts wait. */
function reviewOk(r: unknown): boolean {
  return (
    r === undefined ||
    (isObj(r) &&
      typeof r.enabled === "boolean" &&
      typeof r.drafts_waiting === "number" &&
      Number.isInteger(r.drafts_waiting) &&
      r.drafts_waiting >= 0)
  );
}

/** Take-over (optional): the lock's holder, or null. */
function holderOk(h: unknown): boolean {
  return (
    h === undefined ||
    h === null ||
    (isObj(h) &&
      isId(h.id) &&
      isStr(h.name) &&
      (h.since === undefined || (isStr(h.since) && TIMESTAMP.test(h.since))))
  );
}

/** Presence (optional): who views the session now. */
function viewersOk(list: unknown): boolean {
  return (
    list === undefined ||
    (Array.isArray(list) &&
      list.every(
        (v) => isObj(v) && isId(v.id) && isStr(v.name) && (v.silent === undefined || v.silent === true),
      ))
  );
}
