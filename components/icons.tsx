/**
 * The panel's one icon set: 16×16 line glyphs drawn inline (no icon font, no
 * emoji, no remote images), so every platform renders them the same. Decorative:
 * the control beside or around an icon carries the words.
 */
const PATHS = {
  edit: "M10.5 2.5 13.5 5.5 5.5 13.5H2.5V10.5Z M9 4 12 7",
  delete: "M2.5 4.5h11M6 4.5V2.5h4v2M4 4.5l.8 9h6.4l.8-9M6.8 7v4.5M9.2 7v4.5",
  close: "M4 4l8 8M12 4l-8 8",
  check: "M3 8.5 6.5 12 13 4.5",
  start: "M4.5 2.5v11l9-5.5Z",
  end: "M3.5 3.5h9v9h-9Z",
  user: "M8 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm-5.5 6.5a5.5 5.5 0 0 1 11 0",
  agent: "M3.5 5.5h9v7h-9Zm4.5-3v3M6 9h.01M10 9h.01M1.5 8.5v2m13-2v2",
  status: "M1.5 8h3l2-4.5 3 9 2-4.5h3",
  intervention: "M8 1.5 14.5 8 8 14.5 1.5 8Z",
  transfer: "M2 5.5h10M9.5 3l2.5 2.5L9.5 8M14 10.5H4M6.5 8 4 10.5 6.5 13",
  alert: "M8 1.5 15 14H1Zm0 4.5v4m0 2v.01",
  overwrite: "M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 13.5h11",
  chevron: "M4 6l4 4 4-4",
  flag: "M3.5 14.5v-12M3.5 2.5h8l-2 3 2 3h-8",
  eye: "M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8Zm6.5 2a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z",
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 14, class: cls }: { name: IconName; size?: number; class?: string }) {
  return (
    <svg
      class={`icon${cls ? ` ${cls}` : ""}`}
      viewBox="0 0 16 16"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
      data-icon={name}
    >
      <path
        d={PATHS[name]}
        fill="none"
        stroke="currentColor"
        stroke-width="1.4"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
