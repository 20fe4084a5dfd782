/** HTTP bodies (§1): what each endpoint answers, and the command body of `POST /v1/commands`. */
import * as v from "valibot";

import { DraftReady } from "./events";
import { CommandFrame, SnapshotBody } from "./frames";
import { Agent, AgentStep, Id, Intervention, Message, Session, TakeoverHolder, User } from "./shapes";

const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));

export const EventsResponse = v.looseObject({ epoch: Id, events: v.array(v.unknown()), next_after: Seq });
export const SnapshotResponse = v.looseObject(SnapshotBody);
export const SessionResponse = v.looseObject({
  session: Session,
  messages: v.array(Message),
  /** The agent steps of the transcript's replies, in order (AI insight, optional). */
  steps: v.optional(v.array(AgentStep)),
  /** (Extension of v1.) Review mode: the drafts waiting for approval, oldest first. */
  drafts: v.optional(v.array(DraftReady)),
  epoch: v.optional(Id),
  seq: v.optional(Seq),
});
/** The body of `POST /v1/commands`: a command frame without `type`. */
export const CommandBody = v.omit(CommandFrame, ["type"]);
export const CommandResponse = v.looseObject({ cmd_id: Id, intervention_id: Id });
export const InterventionsResponse = v.looseObject({ interventions: v.array(Intervention) });
export const MeResponse = v.looseObject({ user: User });
export const AgentsResponse = v.looseObject({ agents: v.array(Agent) });
export const ErrorBody = v.looseObject({
  error: v.looseObject({
    code: v.string(),
    message: v.string(),
    retry_after_ms: v.optional(v.number()),
    holder: v.optional(TakeoverHolder),
  }),
});

export type EventsResponse = v.InferOutput<typeof EventsResponse>;
export type SnapshotResponse = v.InferOutput<typeof SnapshotResponse>;
export type SessionResponse = v.InferOutput<typeof SessionResponse>;
export type CommandBody = v.InferOutput<typeof CommandBody>;
export type ErrorBody = v.InferOutput<typeof ErrorBody>;
