import type { PresenceViewer } from "@/utils/protocol";
import { Icon } from "./icons";

/** The other people viewing a session (presence), without the panel's own user. */
export function othersViewing(viewers: readonly PresenceViewer[] | undefined, selfId: string | null) {
  return (viewers ?? []).filter((v) => v.id !== selfId);
}

const nameOf = (v: PresenceViewer) => (v.silent ? `${v.name} (silent co-browse)` : v.name);

/**
 * Who else has this session open (issue 12). On the card a short tag (first
 * name and how many more); in the conversation the whole list. Silent
 * co-browsers only ever reach admins (the gateway filters them), marked so.
 */
export function PresenceTag({
  viewers,
  selfId,
  full = false,
}: {
  viewers: readonly PresenceViewer[] | undefined;
  selfId: string | null;
  full?: boolean;
}) {
  const others = othersViewing(viewers, selfId);
  if (others.length === 0) return null;
  const all = others.map(nameOf).join(", ");
  const first = others[0] as PresenceViewer;
  return (
    <span
      class={`presence-tag${full ? " presence-full" : ""}`}
      title={`Also viewing: ${all}`}
      data-viewers={others.map((v) => v.id).join(" ")}
    >
      <Icon name="eye" size={12} />{" "}
      {full ? `Also viewing: ${all}` : others.length > 1 ? `${first.name} +${others.length - 1}` : first.name}
    </span>
  );
}
