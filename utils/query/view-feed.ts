/**
 * One panel's view as the worker feeds it: the view's engine, and what the
 * panel holds of it — the sessions as last sent, the agents' summary version,
 * the last answer's shape — so an answer goes out only when something the
 * panel shows changed, and carries only the sessions it does not hold as they
 * are now.
 */
import type { Session } from "../protocol";
import type { QueryService } from "./query-service";
import type { ViewWindow } from "./view-engine";
import type { ViewSpec, ViewUpdate } from "./view-spec";

export interface ViewFeed {
  readonly spec: ViewSpec;
  setSpec(spec: ViewSpec): void;
  /** Sends the answer if anything the panel shows changed (`force`: send it anyway). */
  push(force?: boolean): void;
  close(): void;
}

export function createViewFeed(
  query: QueryService,
  spec: ViewSpec,
  send: (update: ViewUpdate) => void,
): ViewFeed {
  const engine = query.view(spec);
  let held = new Map<string, Session>();
  let shape = "";
  let agents = -1;
  return {
    get spec() {
      return engine.spec;
    },
    setSpec(next) {
      // The panel drops every answer to a spec older than its last change of filter, order or grouping, with
      // the sessions and agents those carried; which of them it took before cannot be told apart, so the
      // window's sessions (one screen) and the agents go again.
      if (queryOf(next) !== queryOf(engine.spec)) {
        held = new Map();
        agents = -1;
      }
      engine.setSpec(next);
    },
    push(force = false) {
      const w = engine.window();
      const seq = engine.spec.seq;
      const nextShape = shapeOf(w, seq);
      const fresh: Session[] = [];
      const keep = new Map<string, Session>();
      for (const s of w.sessions) {
        if (held.get(s.id) !== s) fresh.push(s);
        keep.set(s.id, s);
      }
      const agentsChanged = agents !== query.agents.version;
      if (!force && fresh.length === 0 && !agentsChanged && nextShape === shape) return;
      held = keep;
      shape = nextShape;
      agents = query.agents.version;
      send({
        seq,
        total: w.total,
        count: w.count,
        rowCount: w.rowCount,
        headers: w.headers,
        start: w.start,
        rows: w.rows,
        pinned: w.pinned,
        pinnedRows: w.pinnedRows,
        sessions: fresh,
        snippets: w.snippets,
        partial: w.partial,
        ...(agentsChanged || force ? { agents: query.agents.list() } : {}),
      });
    },
    close() {
      query.close(engine);
    },
  };
}

/** What the panel treats as a new query (its answers so far stale): the filter, the order, the grouping. */
function queryOf(spec: ViewSpec): string {
  return JSON.stringify([spec.filter, spec.sort, spec.grouping]);
}

/** What an answer shows apart from the sessions themselves: the counts, the headers and the row keys. */
function shapeOf(w: ViewWindow, seq: number): string {
  const rows = w.rows.map((r) =>
    typeof r === "string" ? r : `${r.agent_id}:${r.count}:${r.name}:${r.color}`,
  );
  const headers = w.headers.map((h) => `${h.index}:${h.header.agent_id}:${h.header.count}`);
  const snippets = Object.entries(w.snippets).map(([id, t]) => `${id}=${t}`);
  return [
    seq,
    w.total,
    w.count,
    w.rowCount,
    w.start,
    rows.join(","),
    headers.join(","),
    w.pinned.map((id) => `${id}@${w.pinnedRows[id] ?? ""}`).join(","),
    snippets.join("\u0001"),
    w.partial.join(","),
  ].join("|");
}
