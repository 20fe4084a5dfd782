import { formatDuration } from "@/utils/format";
import type { Panel } from "@/utils/panel";
import { CONNECTION_LABEL } from "./labels";

/**
 * Where the data comes from and how fresh it is: the gateway connection state
 * with its latency, or, when the background worker cannot be reached, that.
 * Whenever the view may be stale it says so and for how long.
 */
export function ConnectionIndicator({ panel }: { panel: Pick<Panel, "link" | "status" | "now"> }) {
  const c = panel.status.connection.value;
  const link = panel.link.status.value;
  const now = panel.now.value;

  if (link === "lost" || !c) {
    const lost = link === "lost";
    return (
      <div
        class={`connection ${lost ? "state-offline" : "state-connecting"}`}
        data-state={lost ? "worker-lost" : "connecting"}
      >
        <span class="connection-dot" aria-hidden="true" />
        <span role="status" class="connection-label">
          {lost ? "Background worker unreachable, retrying…" : "Connecting…"}
        </span>
      </div>
    );
  }

  const down = c.state !== "connected";
  const since = formatDuration(Math.max(0, now - c.since));
  // Stale since the data stopped being live, not since the last state change (reconnecting → offline).
  const stale = formatDuration(Math.max(0, now - (c.stale_since ?? c.since)));
  let note = "";
  if (c.state === "reconnecting") {
    const wait = c.next_retry_at !== undefined ? Math.max(0, c.next_retry_at - now) : null;
    note =
      wait !== null ? `next try in ${Math.ceil(wait / 1000)} s · stale for ${stale}` : `stale for ${stale}`;
  } else if (c.state === "polling") note = `live stream down for ${since}, updates every few seconds`;
  else if (c.state === "offline") note = `stale for ${stale}`;
  else if (c.state === "connecting") note = "";

  return (
    <div class={`connection state-${c.state}`} data-state={c.state} title={c.detail}>
      <span class="connection-dot" aria-hidden="true" />
      <span role="status" class="connection-label">
        {CONNECTION_LABEL[c.state]}
      </span>
      {c.state === "connected" && (
        <span class="connection-latency" title="Round trip to the gateway">
          {c.latency_ms === null ? "— ms" : `${Math.round(c.latency_ms)} ms`}
        </span>
      )}
      {down && note && <span class="connection-note">{note}</span>}
    </div>
  );
}
