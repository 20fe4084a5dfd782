/**
 * The part of a per-user IndexedDB model that does not depend on what it
 * stores (alert rules, canned replies): (re)open the store when the signed-in
 * user changes, load its items into signals, and run an action against the
 * open store — refreshing afterwards, and dropping results that arrive for a
 * user who is no longer signed in. Call it inside a `createModel` factory: its
 * effect is disposed with the model.
 */
import { batch, effect, type ReadonlySignal, signal } from "@preact/signals";
import type { UserRecordProblem } from "./user-records";

export type UserStoreStatus = "signed_out" | "loading" | "ready" | "error";

export interface UserStoreSessionDeps<S extends { userId: string; close(): void }, I> {
  userId: ReadonlySignal<string | null>;
  open(userId: string): Promise<S>;
  load(store: S): Promise<{ items: readonly I[]; problems: readonly UserRecordProblem[] }>;
  /** What the store holds, in every message ("Alert rules"): "Alert rules are not available yet." */
  label: string;
  /** The store's own error class: its messages are already in words; anything else is "<label> failed: …". */
  StoreError: new (
    ...args: never[]
  ) => Error;
  /** After every load of the current user's items. */
  onLoaded?(store: S, items: readonly I[]): void;
}

export function createUserStoreSession<S extends { userId: string; close(): void }, I>(
  deps: UserStoreSessionDeps<S, I>,
) {
  const message = (e: unknown): string =>
    e instanceof deps.StoreError
      ? e.message
      : `${deps.label} failed: ${e instanceof Error ? e.message : String(e)}`;
  const status = signal<UserStoreStatus>("signed_out");
  const items = signal<readonly I[]>([]);
  const problems = signal<readonly UserRecordProblem[]>([]);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  let store: S | null = null;
  let generation = 0;

  const refresh = async (s: S, gen: number) => {
    const r = await deps.load(s);
    if (gen !== generation) return;
    batch(() => {
      items.value = r.items;
      problems.value = r.problems;
      status.value = "ready";
      error.value = null;
    });
    deps.onLoaded?.(s, r.items);
  };

  effect(() => {
    const uid = deps.userId.value;
    const gen = ++generation;
    batch(() => {
      items.value = [];
      problems.value = [];
      notice.value = null;
      error.value = null;
      status.value = uid ? "loading" : "signed_out";
    });
    if (uid) {
      deps
        .open(uid)
        .then(async (s) => {
          if (gen !== generation) {
            s.close();
            return;
          }
          store = s;
          await refresh(s, gen);
        })
        .catch((e: unknown) => {
          if (gen !== generation) return;
          batch(() => {
            status.value = "error";
            error.value = message(e);
          });
        });
    }
    return () => {
      generation++;
      store?.close();
      store = null;
    };
  });

  /** Runs `fn` against the open store, then reloads; a failure becomes `notice`. */
  const run = async <T>(fn: (s: S) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> => {
    const s = store;
    const gen = generation;
    if (!s) {
      notice.value = error.value ?? `${deps.label} are not available yet.`;
      return { ok: false };
    }
    let out: { ok: true; value: T } | { ok: false } = { ok: false };
    try {
      out = { ok: true, value: await fn(s) };
      notice.value = null;
    } catch (e) {
      if (gen === generation) notice.value = message(e);
    }
    try {
      if (gen === generation) await refresh(s, gen);
    } catch (e) {
      if (gen === generation) notice.value = message(e);
    }
    return out;
  };

  return { status, items, problems, error, notice, run, current: () => store };
}
