import type { ComponentChildren } from "preact";

/**
 * The button that shows or hides a region (WAI-ARIA disclosure pattern):
 * `aria-expanded` says whether it is open, `aria-controls` names the region
 * (rendered by the caller while open). Every show/hide toggle in the panel is
 * this button.
 */
export function DisclosureButton({
  open,
  controls,
  onToggle,
  class: cls,
  children,
}: {
  open: boolean;
  /** The id of the region it shows. */
  controls: string;
  onToggle: (open: boolean) => void;
  class: string;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class={cls}
      aria-expanded={open ? "true" : "false"}
      aria-controls={controls}
      onClick={() => onToggle(!open)}
    >
      {children}
    </button>
  );
}
