import type { SessionStatus } from "@/utils/protocol";
import { STATUS_LABEL } from "./labels";

/** Colour-coded session status; thinking and streaming are animated (unless reduced motion is asked for). */
export function StatusBadge({ status }: { status: SessionStatus }) {
  const animated = status === "thinking" || status === "streaming" || status === "transferring";
  return (
    <span class={`status-badge status-${status}${animated ? " animated" : ""}`} data-status={status}>
      {animated && (
        <span class="status-dots" aria-hidden="true">
          <i />
          <i />
          <i />
        </span>
      )}
      {STATUS_LABEL[status]}
    </span>
  );
}
