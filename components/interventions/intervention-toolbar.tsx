import { useEffect } from "preact/hooks";
import { type InterventionModel, shortcutFor } from "@/utils/interventions";
import { CobrowseIndicator } from "./cobrowse-indicator";
import { CommandStatusLine } from "./command-status-line";
import { ReasonDialog } from "./reason-dialog";
import { TakeoverPanel } from "./takeover-panel";
import { ViewerNotice } from "./viewer-notice";

/**
 * The intervention controls of a conversation: one button per control with
 * its Alt+letter shortcut (aria-keyshortcuts and tooltip), the co-browse
 * indicator, the status of recent commands and the reason dialog. Without
 * the sessions:intervene permission it shows why instead.
 */
export function InterventionToolbar({
  model,
  keyTarget,
}: {
  model: InterventionModel;
  /** Where the shortcuts listen; defaults to the document. */
  keyTarget?: EventTarget;
}) {
  const permission = model.permission.value;

  useEffect(() => {
    if (permission !== "allowed") return;
    const target = keyTarget ?? document;
    const onKey = (e: Event) => {
      if (!(e instanceof KeyboardEvent) || model.dialog.peek()) return;
      const kind = shortcutFor(e);
      if (kind && model.open(kind)) e.preventDefault();
    };
    target.addEventListener("keydown", onKey);
    return () => target.removeEventListener("keydown", onKey);
  }, [model, permission, keyTarget]);

  if (permission === "unknown") return null;
  if (permission === "denied") return <ViewerNotice roles={model.roleName.value} />;
  return (
    <div class="iv-controls">
      <div class="iv-toolbar" role="toolbar" aria-label="Interventions" onKeyDown={onToolbarKey}>
        {model.controls.value.map((c) => (
          <button
            key={c.kind}
            type="button"
            class={`iv-button iv-control iv-control-${c.kind}`}
            data-action={c.action}
            data-pressed={c.pressed ? "true" : undefined}
            aria-keyshortcuts={c.keys}
            title={c.title}
            aria-label={buttonName(c)}
            disabled={c.disabled}
            aria-disabled={c.busy ? "true" : undefined}
            onClick={() => model.open(c.kind)}
          >
            {c.short}{" "}
            <span class="iv-kbd" aria-hidden="true">
              {c.keys}
            </span>
          </button>
        ))}
      </div>
      <CobrowseIndicator on={model.cobrowsing.value} />
      <TakeoverPanel model={model} />
      <CommandStatusLine model={model} />
      <ReasonDialog model={model} />
    </div>
  );
}

/** The name starts with what the button shows ("Message Alt+M"), then the full verb if it says more. */
function buttonName(c: { short: string; keys: string; label: string }): string {
  const shown = `${c.short} ${c.keys}`;
  return c.label === c.short ? shown : `${shown}: ${c.label}`;
}

/** Arrow keys, Home and End move between the toolbar's buttons (ARIA toolbar pattern). */
function onToolbarKey(e: KeyboardEvent) {
  const keys = ["ArrowLeft", "ArrowRight", "Home", "End"];
  if (!keys.includes(e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
  const bar = e.currentTarget;
  if (!(bar instanceof HTMLElement)) return;
  const buttons = [...bar.querySelectorAll<HTMLButtonElement>("button:not([disabled])")];
  if (buttons.length === 0) return;
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const n = buttons.length;
  const next =
    e.key === "Home"
      ? 0
      : e.key === "End"
        ? n - 1
        : (Math.max(at, 0) + (e.key === "ArrowRight" ? 1 : n - 1)) % n;
  e.preventDefault();
  buttons[next]?.focus();
}
