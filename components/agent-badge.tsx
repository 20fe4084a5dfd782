import { safeColor } from "@/utils/format";

/** The agent's name with its coloured dot. */
export function AgentBadge({ name, color }: { name: string; color: string }) {
  return (
    <span class="agent-badge" title={name}>
      <span class="agent-dot" style={{ backgroundColor: safeColor(color) }} aria-hidden="true" />
      <span class="agent-name">{name}</span>
    </span>
  );
}
