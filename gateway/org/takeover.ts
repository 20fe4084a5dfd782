/**
 * Take-over locks (issue 12): at most one supervisor holds a session's
 * take-over at a time. `commands.ts` asks `check` before auditing (a second
 * supervisor gets CONFLICT naming the holder); `interventions.ts` acquires,
 * touches (each reply) and releases the lock when the command is applied. A
 * lock idle for `idleMs` calls `onIdle`, which hands the session back through
 * an audited command (gateway.ts). Locks live in memory, like session ownership.
 */
import type { Action, TakeoverHolder } from "../../utils/protocol/index.ts";
import type { Clock } from "../clock.ts";

export interface LockConflict {
  message: string;
  holder?: TakeoverHolder;
}

export interface TakeoverLocks {
  holder(sessionId: string): TakeoverHolder | undefined;
  /** Why `userId` may not send `action` on the session now; null when it may (or the action needs no lock). */
  check(userId: string, action: Action, sessionId: string): LockConflict | null;
  acquire(sessionId: string, holder: TakeoverHolder): void;
  /** The holder acted (a reply): the idle timer starts again. */
  touch(sessionId: string): void;
  release(sessionId: string): TakeoverHolder | undefined;
  /** Locks held now (one per taken-over session; a session that ends releases its lock). */
  size(): number;
  dispose(): void;
}

export interface TakeoverLockOptions {
  clock: Clock;
  idleMs: number;
  /** The lock was idle for idleMs; it is still held: the callee releases it (audited). */
  onIdle(sessionId: string, holder: TakeoverHolder): void;
  /** Ids allowed to hand back whatever the holder (the gateway's idle release). */
  releasers?: readonly string[];
}

interface Lock {
  holder: TakeoverHolder;
  cancel: () => void;
}

export function createTakeoverLocks(opts: TakeoverLockOptions): TakeoverLocks {
  const locks = new Map<string, Lock>();
  const arm = (sid: string, lock: Lock) => {
    lock.cancel();
    lock.cancel = opts.clock.setTimer(opts.idleMs, () => {
      if (locks.get(sid) === lock) opts.onIdle(sid, lock.holder);
    });
  };
  const who = (h: TakeoverHolder) => `${h.name} (${h.id})`;
  return {
    holder: (sid) => locks.get(sid)?.holder,
    check(userId, action, sid) {
      const held = locks.get(sid)?.holder;
      switch (action) {
        case "take_over":
          return held && held.id !== userId
            ? { message: `${who(held)} has already taken over this conversation.`, holder: held }
            : null;
        case "takeover_reply":
        case "hand_back":
          if (!held) return { message: "Nobody has taken over this conversation: take it over first." };
          if (held.id === userId || (action === "hand_back" && opts.releasers?.includes(userId))) return null;
          return { message: `${who(held)} has taken over this conversation.`, holder: held };
        default:
          return null;
      }
    },
    acquire(sid, holder) {
      const old = locks.get(sid);
      const lock: Lock = { holder: old?.holder.id === holder.id ? old.holder : holder, cancel: () => {} };
      old?.cancel();
      locks.set(sid, lock);
      arm(sid, lock);
    },
    touch(sid) {
      const lock = locks.get(sid);
      if (lock) arm(sid, lock);
    },
    release(sid) {
      const lock = locks.get(sid);
      if (!lock) return undefined;
      lock.cancel();
      locks.delete(sid);
      return lock.holder;
    },
    size: () => locks.size,
    dispose() {
      for (const l of locks.values()) l.cancel();
      locks.clear();
    },
  };
}
