/**
 * Where the simulated agents put what they do. `OrgState` fits (the
 * simulation used to write to it directly); `sim-runtime.ts` supplies one that
 * publishes through the agent client, the path real agent runtimes take.
 */
import type { DeltaFrame, EventKind } from "../../utils/protocol/index.ts";

export interface SimOutlet {
  /** The org (seeds the simulation's random numbers). */
  readonly id: string;
  emit(kind: EventKind, sessionId: string | null, data: unknown): void;
  delta(frame: DeltaFrame): void;
}
