/** AI insight in the panel: agent steps, per-message signals, session totals, the hand-off timer. */
import "./insight.css";

export { AgentSteps, jsonText } from "./agent-steps";
export { QueueTag, queueText } from "./queue-tag";
export { HandoffBanner, SessionTotalsLine } from "./session-insight";
export { HandoffTimer, ReplySignals, RiskChip, SentimentChip, UserSignals } from "./signals";
