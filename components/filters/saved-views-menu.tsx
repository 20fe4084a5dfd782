/**
 * `<SavedViewsMenu views={savedViewsModel} />`: a "Views" button that opens a
 * panel listing the user's saved views.
 *
 * - Click or Enter on a view's name applies it and closes the menu (focus
 *   back on the button; the applied view is marked `aria-current` when it
 *   opens again). ArrowUp/ArrowDown move between
 *   view names, Home/End jump, Escape closes and returns focus to the button.
 * - "Save current as…" opens a name field: Enter saves, Escape cancels.
 * - Each view has Rename (inline field, Enter/Escape), Overwrite (with the
 *   current filters) and Delete; the last two ask for confirmation inline.
 * - The store's state is shown: loading, the reason it cannot be used,
 *   records skipped as unreadable (each deletable), a refused action.
 */
import { useEffect, useId, useRef, useState } from "preact/hooks";
import type { SavedView, SavedViewsModel } from "@/utils/saved-views";
import { VIEW_NAME_MAX } from "@/utils/saved-views";
import { Icon } from "../icons";
import { usePopover } from "./popover";

type Editing =
  | { kind: "none" }
  | { kind: "save" }
  | { kind: "rename"; id: string }
  | { kind: "confirm"; id: string; action: "overwrite" | "delete" };

function NameForm(props: {
  label: string;
  initial: string;
  submitText: string;
  onSubmit(name: string): Promise<boolean>;
  onCancel(): void;
}) {
  const [name, setName] = useState(props.initial);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <form
      class="flt-name-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (name.trim()) await props.onSubmit(name);
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          props.onCancel();
        }
      }}
    >
      <input
        ref={input}
        class="flt-name-input"
        aria-label={props.label}
        maxLength={VIEW_NAME_MAX}
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <button type="submit" class="flt-button flt-primary" disabled={!name.trim()}>
        {props.submitText}
      </button>
      <button type="button" class="flt-button" onClick={props.onCancel}>
        Cancel
      </button>
    </form>
  );
}

function Confirm(props: { text: string; confirmText: string; onConfirm(): void; onCancel(): void }) {
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), []);
  return (
    <fieldset
      class="flt-confirm"
      aria-label={props.text}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          props.onCancel();
        }
      }}
    >
      <span>{props.text}</span>
      <button ref={yes} type="button" class="flt-button flt-danger" onClick={props.onConfirm}>
        {props.confirmText}
      </button>
      <button type="button" class="flt-button" onClick={props.onCancel}>
        Cancel
      </button>
    </fieldset>
  );
}

export function SavedViewsMenu({ views }: { views: SavedViewsModel }) {
  const [editing, setEditing] = useState<Editing>({ kind: "none" });
  const id = useId();
  const pop = usePopover<HTMLDivElement>({
    popupId: `${id}-views`,
    onDismiss: () => setEditing({ kind: "none" }),
    focusFirst: (views) => {
      const first =
        views?.querySelector<HTMLElement>("[aria-current='true'] .flt-view-apply") ??
        views?.querySelector<HTMLElement>(".flt-view-apply, .flt-save");
      first?.focus();
    },
  });
  const list = views.views.value;
  const activeId = views.activeId.value;
  const status = views.status.value;
  const active = list.find((v) => v.id === activeId);
  const ready = status === "ready";
  const skipped = views.problems.value.length;
  // Visible on the closed button too, so a broken database or record is noticed.
  const trouble =
    status === "error"
      ? "saved views unavailable"
      : skipped > 0
        ? `${skipped} saved view${skipped === 1 ? "" : "s"} unreadable`
        : null;

  const close = () => {
    pop.close();
    setEditing({ kind: "none" });
  };
  const focusView = (viewId: string) =>
    [...(pop.popup.current?.querySelectorAll<HTMLElement>("[data-view-id]") ?? [])]
      .find((el) => el.dataset.viewId === viewId)
      ?.querySelector<HTMLButtonElement>(".flt-view-apply")
      ?.focus();
  const done = (viewId?: string) => {
    setEditing({ kind: "none" });
    // After the inline control goes away, put focus back on something sensible.
    setTimeout(() =>
      viewId ? focusView(viewId) : pop.popup.current?.querySelector<HTMLElement>(".flt-save")?.focus(),
    );
  };

  const onListKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (!target.classList.contains("flt-view-apply")) return;
    const names = [...(pop.popup.current?.querySelectorAll<HTMLButtonElement>(".flt-view-apply") ?? [])];
    const i = names.indexOf(target as HTMLButtonElement);
    const to =
      e.key === "ArrowDown"
        ? names[Math.min(i + 1, names.length - 1)]
        : e.key === "ArrowUp"
          ? names[Math.max(i - 1, 0)]
          : e.key === "Home"
            ? names[0]
            : e.key === "End"
              ? names.at(-1)
              : null;
    if (to) {
      e.preventDefault();
      to.focus();
    }
  };

  const row = (v: SavedView) => {
    if (editing.kind === "rename" && editing.id === v.id) {
      return (
        <NameForm
          label={`New name for ${v.name}`}
          initial={v.name}
          submitText="Rename"
          onSubmit={async (name) => {
            const ok = await views.rename(v.id, name);
            if (ok) done(v.id);
            return ok;
          }}
          onCancel={() => done(v.id)}
        />
      );
    }
    if (editing.kind === "confirm" && editing.id === v.id) {
      const del = editing.action === "delete";
      return (
        <Confirm
          text={del ? `Delete “${v.name}”?` : `Replace “${v.name}” with the current filters?`}
          confirmText={del ? "Delete" : "Overwrite"}
          onConfirm={async () => {
            if (del) {
              await views.remove(v.id);
              done();
            } else {
              await views.overwrite(v.id);
              done(v.id);
            }
          }}
          onCancel={() => done(v.id)}
        />
      );
    }
    return (
      <>
        <button
          type="button"
          class="flt-view-apply"
          aria-label={`Apply view ${v.name}`}
          onClick={() => {
            // The view is applied: the menu's job is done.
            if (views.apply(v.id)) close();
          }}
        >
          {v.name}
          {v.id === activeId && <span class="flt-view-active"> (applied)</span>}
        </button>
        <span class="flt-view-actions">
          <button
            type="button"
            class="flt-icon"
            aria-label={`Rename ${v.name}`}
            title="Rename"
            onClick={() => setEditing({ kind: "rename", id: v.id })}
          >
            <Icon name="edit" />
          </button>
          <button
            type="button"
            class="flt-icon"
            aria-label={`Overwrite ${v.name} with the current filters`}
            title="Overwrite with current filters"
            disabled={v.id === activeId}
            onClick={() => setEditing({ kind: "confirm", id: v.id, action: "overwrite" })}
          >
            <Icon name="overwrite" />
          </button>
          <button
            type="button"
            class="flt-icon"
            aria-label={`Delete ${v.name}`}
            title="Delete"
            onClick={() => setEditing({ kind: "confirm", id: v.id, action: "delete" })}
          >
            <Icon name="delete" />
          </button>
        </span>
      </>
    );
  };

  return (
    <div class="flt-views">
      <button {...pop.buttonProps} onClick={() => (pop.open ? close() : pop.setOpen(true))}>
        {active ? `View: ${active.name}` : "Views"}
        {trouble && (
          <span class="flt-warn" title={trouble}>
            {" "}
            <Icon name="alert" size={12} />
            <span class="sr-only">{` (${trouble})`}</span>
          </span>
        )}
        <Icon name="chevron" size={12} class="flt-chevron" />
      </button>
      {pop.open && (
        <div
          {...pop.popupProps}
          class="flt-popover flt-views-panel"
          role="dialog"
          aria-label="Saved views"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              close();
            } else onListKey(e);
          }}
        >
          {status === "loading" && <p class="flt-empty">Loading views…</p>}
          {status === "signed_out" && <p class="flt-empty">Sign in to the gateway to use saved views.</p>}
          {status === "error" && (
            <p class="flt-problem" role="alert">
              {views.error.value}
            </p>
          )}
          {ready && list.length === 0 && <p class="flt-empty">No saved views yet.</p>}
          {list.length > 0 && (
            <ul class="flt-view-list" aria-label="Saved views">
              {list.map((v) => (
                <li key={v.id} class="flt-view" data-view-id={v.id} aria-current={v.id === activeId}>
                  {row(v)}
                </li>
              ))}
            </ul>
          )}
          {views.problems.value.length > 0 && (
            <ul class="flt-problems" aria-label="Unreadable saved views">
              {views.problems.value.map((p, i) => (
                <li key={p.id ?? `p${i}`} class="flt-problem">
                  {p.message}{" "}
                  {p.id !== null && (
                    <button
                      type="button"
                      class="flt-link"
                      onClick={() => {
                        if (p.id !== null) void views.remove(p.id);
                      }}
                    >
                      Delete it
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {views.notice.value && (
            <p class="flt-problem" role="alert">
              {views.notice.value}{" "}
              <button type="button" class="flt-link" onClick={views.dismissNotice}>
                Dismiss
              </button>
            </p>
          )}
          {editing.kind === "save" ? (
            <NameForm
              label="Name for the current filters"
              initial=""
              submitText="Save"
              onSubmit={async (name) => {
                const ok = await views.saveAs(name);
                if (ok) done();
                return ok;
              }}
              onCancel={() => done()}
            />
          ) : (
            <button
              type="button"
              class="flt-button flt-save"
              disabled={!ready || views.busy.value}
              onClick={() => setEditing({ kind: "save" })}
            >
              Save current as…
            </button>
          )}
        </div>
      )}
    </div>
  );
}
