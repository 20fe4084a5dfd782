/**
 * Which agent runtime owns which open session, and the grace a runtime gets
 * when it is gone (issue 19): its socket dropped, or the gateway restarted and
 * restored the claims from the history. A runtime that comes back within
 * `graceMs` keeps its sessions; otherwise `onLost` is called for each of them
 * (the gateway ends them with reason `runtime_lost`).
 */
import type { Clock } from "../clock.ts";
import type { RuntimeClaim } from "../org/event-log.ts";

export interface Owner {
  /** `${user id}/${runtime id}`. */
  key: string;
  /** The runtime's last publish numbered for the session, and its seq (absent until it publishes). */
  pubId?: string;
  seq?: number;
}

export interface RuntimeOwners {
  ownerOf(orgId: string, sessionId: string): Owner | undefined;
  claim(orgId: string, sessionId: string, key: string): void;
  /** A publish of the owner was numbered. */
  published(orgId: string, sessionId: string, pubId: string, seq: number): void;
  /** Claims read back from the history at start: their runtimes are absent until they reconnect. */
  restore(orgId: string, claims: readonly RuntimeClaim[]): void;
  sessionsOf(orgId: string, key: string): string[];
  /** The session ended: it has no owner any more. */
  release(orgId: string, sessionId: string): void;
  /** The runtime has a live link: its grace (if any) is over. */
  present(orgId: string, key: string): void;
  /** The runtime has no live link: its sessions wait `graceMs` for it. */
  absent(orgId: string, key: string): void;
  /** Runtimes waited for now (tests, metrics). */
  waiting(): number;
  dispose(): void;
}

export interface RuntimeOwnersOptions {
  clock: Clock;
  graceMs: number;
  onLost(orgId: string, sessionId: string, key: string): void;
}

export function createRuntimeOwners(opts: RuntimeOwnersOptions): RuntimeOwners {
  const byOrg = new Map<string, Map<string, Owner>>();
  const graces = new Map<string, () => void>();
  const gkey = (orgId: string, key: string) => `${orgId}\u0000${key}`;
  const of = (orgId: string) => {
    let m = byOrg.get(orgId);
    if (!m) {
      m = new Map();
      byOrg.set(orgId, m);
    }
    return m;
  };

  const owners: RuntimeOwners = {
    ownerOf: (orgId, sid) => byOrg.get(orgId)?.get(sid),
    claim(orgId, sid, key) {
      const m = of(orgId);
      const prior = m.get(sid);
      m.set(sid, { ...prior, key });
    },
    published(orgId, sid, pubId, seq) {
      const o = byOrg.get(orgId)?.get(sid);
      if (o) {
        o.pubId = pubId;
        o.seq = seq;
      }
    },
    restore(orgId, claims) {
      const m = of(orgId);
      const keys = new Set<string>();
      for (const c of claims) {
        m.set(c.session_id, { key: c.runtime, pubId: c.pub_id, seq: c.seq });
        keys.add(c.runtime);
      }
      for (const k of keys) owners.absent(orgId, k);
    },
    sessionsOf(orgId, key) {
      const out: string[] = [];
      for (const [sid, o] of byOrg.get(orgId) ?? []) if (o.key === key) out.push(sid);
      return out;
    },
    release(orgId, sid) {
      byOrg.get(orgId)?.delete(sid);
    },
    present(orgId, key) {
      const g = gkey(orgId, key);
      graces.get(g)?.();
      graces.delete(g);
    },
    absent(orgId, key) {
      const g = gkey(orgId, key);
      if (graces.has(g) || owners.sessionsOf(orgId, key).length === 0) return;
      graces.set(
        g,
        opts.clock.setTimer(opts.graceMs, () => {
          graces.delete(g);
          for (const sid of owners.sessionsOf(orgId, key)) opts.onLost(orgId, sid, key);
        }),
      );
    },
    waiting: () => graces.size,
    dispose() {
      for (const cancel of graces.values()) cancel();
      graces.clear();
    },
  };
  return owners;
}
