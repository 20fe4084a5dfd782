/**
 * The saved-views model for the panel: the signed-in user's views in signals,
 * and actions that change them and apply them to the filter model.
 *
 *   const views = createSavedViewsModel({
 *     userId,                    // ReadonlySignal<string | null> — panel.user.value?.id ?? null
 *     filters,                   // the FilterModel (reads `spec`, calls `replace`)
 *   });
 *   views.views.value            // SavedView[]
 *   views.activeId.value         // the view equal to the current filter, if any
 *   await views.saveAs("Urgent WhatsApp");   // false + `notice` when refused
 *   views.apply(id); await views.rename(id, "…"); await views.overwrite(id); await views.remove(id);
 *
 * The store is (re)opened whenever the user id changes; switching users closes
 * the previous one. `status` says where it stands; `error` holds why the
 * database cannot be used (shown in the panel; the filters still work);
 * `problems` lists corrupt records that were skipped; `notice` holds the
 * outcome of the last action that failed (e.g. a name already taken).
 */
import { batch, computed, createModel, effect, type ReadonlySignal, signal } from "@preact/signals";
import { type FilterSpec, sameFilter } from "../filters/filter-spec";
import type { SavedView, ViewProblem } from "./view-record";
import { openViewsStore, type ViewsStore, ViewsStoreError } from "./views-store";

export type ViewsStatus = "signed_out" | "loading" | "ready" | "error";

export interface SavedViewsDeps {
  userId: ReadonlySignal<string | null>;
  filters: { spec: ReadonlySignal<FilterSpec>; replace(spec: FilterSpec): void };
  /** Opens a user's store; defaults to `openViewsStore(userId)`. */
  open?: (userId: string) => Promise<ViewsStore>;
}

const message = (e: unknown) =>
  e instanceof ViewsStoreError
    ? e.message
    : `Saved views failed: ${e instanceof Error ? e.message : String(e)}`;

export const SavedViewsModel = createModel((deps: SavedViewsDeps) => {
  const open = deps.open ?? ((id: string) => openViewsStore(id));
  const status = signal<ViewsStatus>("signed_out");
  const views = signal<readonly SavedView[]>([]);
  const problems = signal<readonly ViewProblem[]>([]);
  const error = signal<string | null>(null);
  const notice = signal<string | null>(null);
  const busy = signal(false);
  let store: ViewsStore | null = null;
  let generation = 0;

  const activeId = computed(() => {
    const spec = deps.filters.spec.value;
    return views.value.find((v) => sameFilter(v.spec, spec))?.id ?? null;
  });

  const refresh = async (s: ViewsStore, gen: number) => {
    const r = await s.list();
    if (gen !== generation) return;
    batch(() => {
      views.value = r.views;
      problems.value = r.problems;
      status.value = "ready";
      error.value = null;
    });
  };

  effect(() => {
    const uid = deps.userId.value;
    const gen = ++generation;
    batch(() => {
      views.value = [];
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

  /** Runs a store operation, then reloads the list; a refusal goes to `notice`. */
  const run = async (fn: (s: ViewsStore) => Promise<unknown>): Promise<boolean> => {
    const s = store;
    const gen = generation;
    if (!s) {
      notice.value = error.value ?? "Saved views are not available yet.";
      return false;
    }
    busy.value = true;
    try {
      await fn(s);
      notice.value = null;
      return true;
    } catch (e) {
      if (gen === generation) notice.value = message(e);
      return false;
    } finally {
      try {
        if (gen === generation) await refresh(s, gen);
      } catch (e) {
        if (gen === generation) notice.value = message(e);
      }
      busy.value = false;
    }
  };

  return {
    status,
    views,
    problems,
    error,
    notice,
    busy,
    activeId,
    /** Sets the filter to a saved view's spec. */
    apply(id: string): boolean {
      const view = views.peek().find((v) => v.id === id);
      if (!view) return false;
      deps.filters.replace(view.spec);
      return true;
    },
    /** Saves the current filter under a new name. */
    saveAs(name: string) {
      return run((s) => s.save(name, deps.filters.spec.peek()));
    },
    rename(id: string, name: string) {
      return run((s) => s.rename(id, name));
    },
    /** Replaces a view's filter with the current one. */
    overwrite(id: string) {
      return run((s) => s.overwrite(id, deps.filters.spec.peek()));
    },
    remove(id: string) {
      return run((s) => s.remove(id));
    },
    dismissNotice() {
      notice.value = null;
    },
  };
});

export type SavedViewsModel = InstanceType<typeof SavedViewsModel>;

export function createSavedViewsModel(deps: SavedViewsDeps): SavedViewsModel {
  return new SavedViewsModel(deps);
}
