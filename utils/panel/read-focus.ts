import * as v from "valibot";
import { FOCUS_KEY } from "../panel-messages";

/** How recent a notification click must be to open its session when the panel starts. */
export const FOCUS_FRESH_MS = 60_000;

const Focus = v.object({ session_id: v.string(), at: v.number() });

/** The session a notification click asked to show, from storage.session, if recent. */
export async function readFocus(
  area: { get(key: string): Promise<Record<string, unknown>> },
  now = Date.now(),
): Promise<string | null> {
  try {
    const stored = await area.get(FOCUS_KEY);
    const r = v.safeParse(Focus, stored[FOCUS_KEY]);
    return r.success && now - r.output.at < FOCUS_FRESH_MS ? r.output.session_id : null;
  } catch {
    return null;
  }
}
