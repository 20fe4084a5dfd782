/**
 * The alert sound's switch and mute: sound stays off until the user turns it
 * on here (a user gesture); a mute lasts until a chosen time (15 minutes, an
 * hour, tomorrow 8:00) or until lifted. The state shown is the worker's.
 */
import type { Panel } from "@/utils/panel";

/** Epoch ms of the next 8:00 after `now` that is on a later calendar day. */
export function tomorrowAtEight(now: number): number {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}

const MUTES: { label: string; until: (now: number) => number }[] = [
  { label: "15 minutes", until: (n) => n + 15 * 60_000 },
  { label: "1 hour", until: (n) => n + 60 * 60_000 },
  { label: "Until tomorrow 8:00", until: tomorrowAtEight },
];

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

export function SoundControls({ panel }: { panel: Pick<Panel, "alerts"> }) {
  const s = panel.alerts.sound.value;
  const enabled = s?.enabled ?? false;
  const mutedUntil = s?.muted_until ?? null;
  const send = (on: boolean, until: number | null) =>
    panel.alerts.send({ type: "sound_prefs", enabled: on, muted_until: until });
  return (
    <section class="al-sound" aria-label="Alert sound">
      <h3 class="al-h">Sound</h3>
      <p
        class="al-sound-state"
        data-sound-enabled={enabled}
        data-sound-playing={s?.playing ?? false}
        role="status"
      >
        {!enabled
          ? "Alert sound is off."
          : mutedUntil !== null
            ? `Muted until ${clock(mutedUntil)}.`
            : s?.playing
              ? "Playing — acknowledge the alert to stop it."
              : "Alert sound is on for rules that choose it."}
        {s?.detail ? ` ${s.detail}` : ""}
      </p>
      <div class="al-row">
        {enabled ? (
          <button type="button" class="al-button al-sound-toggle" onClick={() => send(false, null)}>
            Turn sound off
          </button>
        ) : (
          <button
            type="button"
            class="al-button al-primary al-sound-toggle"
            onClick={() => send(true, mutedUntil)}
          >
            Turn on alert sound
          </button>
        )}
        {enabled &&
          (mutedUntil !== null ? (
            <button type="button" class="al-button" onClick={() => send(true, null)}>
              Unmute
            </button>
          ) : (
            <label class="al-mute">
              <span class="sr-only">Mute alert sound</span>
              <select
                class="al-mute-select"
                value=""
                onChange={(e) => {
                  const m = MUTES[Number(e.currentTarget.value)];
                  if (m) send(true, m.until(Date.now()));
                  e.currentTarget.value = "";
                }}
              >
                <option value="">Mute for…</option>
                {MUTES.map((m, i) => (
                  <option key={m.label} value={String(i)}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
          ))}
      </div>
    </section>
  );
}
