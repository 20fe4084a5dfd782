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
import { createModel, type ReadonlySignal } from "@preact/signals";
import { createUserStoreSession, type UserStoreStatus } from "../user-db";
import {
  type CannedDraft,
  type CannedFieldErrors,
  type CannedKind,
  type CannedReply,
  checkCannedDraft,
} from "./canned-schema";
import { type CannedProblem, type CannedStore, CannedStoreError, openCannedStore } from "./canned-store";

export type CannedStatus = UserStoreStatus;

export interface CannedModelDeps {
  userId: ReadonlySignal<string | null>;
  open?: (userId: string) => Promise<CannedStore>;
  newId?: () => string;
}

export type CannedResult = { ok: true; reply: CannedReply } | { ok: false; errors: CannedFieldErrors };

export const CannedModel = createModel((deps: CannedModelDeps) => {
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const session = createUserStoreSession<CannedStore, CannedReply>({
    userId: deps.userId,
    open: deps.open ?? ((id: string) => openCannedStore(id)),
    load: async (s) => {
      const r = await s.list();
      return { items: r.replies, problems: r.problems };
    },
    label: "Canned replies",
    StoreError: CannedStoreError,
  });
  const { status, items: replies, error, notice } = session;
  const problems: ReadonlySignal<readonly CannedProblem[]> = session.problems;
  const run = async <T>(fn: (s: CannedStore) => Promise<T>): Promise<T | null> => {
    const r = await session.run(fn);
    return r.ok ? r.value : null;
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
