/**
 * The canned-replies model for the panel: the signed-in user's replies from
 * IndexedDB in signals, and add / edit / delete.
 *
 *   const canned = createCannedModel({ userId });
 *   canned.replies.value; canned.forKind("override");
 *   const r = await canned.add(draft);     // { ok: false, errors } names the wrong fields
 *   await canned.edit({ ...draft, id }); await canned.remove(id);
 *
 * Mirrors the alert-rules model: (re)opened when the user changes; `status`,
 * `error` (the database cannot be used), `problems` (records skipped),
 * `notice` (the last action refused).
 */
import { batch, createModel, effect, type ReadonlySignal, signal } from "@preact/signals";
import {
  type CannedDraft,
  type CannedFieldErrors,
  type CannedKind,
  type CannedReply,
  checkCannedDraft,
} from "./canned-schema";
import { type CannedProblem, type CannedStore, CannedStoreError, openCannedStore } from "./canned-store";

export type CannedStatus = "signed_out" | "loading" | "ready" | "error";

export interface CannedModelDeps {
  userId: ReadonlySignal<string | null>;
  open?: (userId: string) => Promise<CannedStore>;
  newId?: () => string;
}

export type CannedResult = { ok: true; reply: CannedReply } | { ok: false; errors: CannedFieldErrors };

const message = (e: unknown) =>
  e instanceof CannedStoreError
    ? e.message
    : `Canned replies failed: ${e instanceof Error ? e.message : String(e)}`;

export const CannedModel = createModel((deps: CannedModelDeps) => {
  const open = deps.open ?? ((id: string) => openCannedStore(id));
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const status = signal<CannedStatus>("signed_out");
  const replies = signal<readonly CannedReply[]>([]);
  const problems = signal<readonly CannedProblem[]>([]);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  let store: CannedStore | null = null;
  let generation = 0;

  const refresh = async (s: CannedStore, gen: number) => {
    const r = await s.list();
    if (gen !== generation) return;
    batch(() => {
      replies.value = r.replies;
      problems.value = r.problems;
      status.value = "ready";
      error.value = null;
    });
  };

  effect(() => {
    const uid = deps.userId.value;
    const gen = ++generation;
    batch(() => {
      replies.value = [];
      problems.value = [];
      notice.value = null;
      error.value = null;
      status.value = uid ? "loading" : "signed_out";
    });
    if (uid) {
      open(uid)
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

  const run = async <T>(fn: (s: CannedStore) => Promise<T>): Promise<T | null> => {
    const s = store;
    const gen = generation;
    if (!s) {
      notice.value = error.value ?? "Canned replies are not available yet.";
      return null;
    }
    let out: T | null = null;
    try {
      out = await fn(s);
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

  const put = async (draft: CannedDraft): Promise<CannedResult> => {
    const checked = checkCannedDraft(draft, replies.peek(), newId);
    if (!checked.ok) return checked;
    const saved = await run((s) => s.save(checked.reply));
    if (!saved) return { ok: false, errors: { text: notice.peek() ?? "The reply could not be saved." } };
    return { ok: true, reply: saved };
  };

  return {
    status,
    replies,
    problems,
    error,
    notice,
    /** The replies allowed for one intervention field, in the stored order. */
    forKind(kind: CannedKind): CannedReply[] {
      return replies.value.filter((r) => r.kinds.includes(kind));
    },
    add(draft: CannedDraft) {
      const { id: _ignored, ...rest } = draft;
      return put(rest);
    },
    edit(draft: CannedDraft & { id: string }) {
      return put(draft);
    },
    async remove(id: string) {
      const done = await run(async (s) => {
        await s.remove(id);
        return true;
      });
      return done === true;
    },
    dismissNotice() {
      notice.value = null;
    },
  };
});

export type CannedModel = InstanceType<typeof CannedModel>;

export function createCannedModel(deps: CannedModelDeps): CannedModel {
  return new CannedModel(deps);
}
