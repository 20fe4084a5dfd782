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
import { computed, createModel, type ReadonlySignal, signal } from "@preact/signals";
import { type FilterSpec, sameFilter } from "../filters";
import { createUserStoreSession, type UserStoreStatus } from "../user-db";
import type { SavedView } from "./view-record";
import { openViewsStore, type ViewsStore, ViewsStoreError } from "./views-store";

export type ViewsStatus = UserStoreStatus;

export interface SavedViewsDeps {
  userId: ReadonlySignal<string | null>;
  filters: { spec: ReadonlySignal<FilterSpec>; replace(spec: FilterSpec): void };
  /** Opens a user's store; defaults to `openViewsStore(userId)`. */
  open?: (userId: string) => Promise<ViewsStore>;
}

export const SavedViewsModel = createModel((deps: SavedViewsDeps) => {
  const open = deps.open ?? ((id: string) => openViewsStore(id));
  const session = createUserStoreSession<ViewsStore, SavedView>({
    userId: deps.userId,
    open,
    load: async (s) => {
      const r = await s.list();
      return { items: r.views, problems: r.problems };
    },
    label: "Saved views",
    StoreError: ViewsStoreError,
  });
  const { status, items: views, problems, error, notice } = session;
  const busy = signal(false);

  const activeId = computed(() => {
    const spec = deps.filters.spec.value;
    return views.value.find((v) => sameFilter(v.spec, spec))?.id ?? null;
  });

  /** Runs a store operation, then reloads the list; a refusal goes to `notice`. */
  const run = async (fn: (s: ViewsStore) => Promise<unknown>): Promise<boolean> => {
    busy.value = true;
    try {
      return (await session.run(fn)).ok;
    } finally {
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
