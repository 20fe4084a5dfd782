/** One row of the session list: the card of a session the panel holds, read from its own signal. */
import type { Panel } from "@/utils/panel";
import { SessionCard } from "./session-card";
import { CARD_ROW_HEIGHT } from "./virtual-layout";

/** The slices a row reads. */
export type SessionRowPanel = Pick<Panel, "list" | "alerts" | "status" | "now" | "handoffThresholds">;

/** The listbox option id of a session's card (the list's aria-activedescendant names it). */
export function domIdFor(sessionId: string): string {
  return `session-option-${sessionId}`;
}

interface SessionRowProps {
  id: string;
  panel: SessionRowPanel;
  top: number;
  active: boolean;
  onOpen: (id: string) => void;
  posinset: number | undefined;
  setsize: number | undefined;
}

/** Reads its own session's signal: a change to one session re-renders one row. */
export function SessionRow({ id, panel, top, active, onOpen, posinset, setsize }: SessionRowProps) {
  const session = panel.list.session(id)?.value;
  if (!session) return null;
  return (
    <SessionCard
      session={session}
      now={panel.now}
      thresholds={panel.handoffThresholds}
      active={active}
      onOpen={onOpen}
      domId={domIdFor(id)}
      posinset={posinset}
      setsize={setsize}
      keyword={panel.list.highlight.value}
      snippet={panel.list.snippets.value[id] ?? null}
      selfId={panel.status.user.value?.id ?? null}
      alert={panel.alerts.alertedSessions.value.get(id)}
      style={{ top: `${top}px`, height: `${CARD_ROW_HEIGHT}px` }}
    />
  );
}
