/**
 * Extension settings (storage.local key "settings"): where the gateway is and
 * which token to present. The defaults point at the local demo gateway that
 * `npm start` runs, so loading the extension is enough to see the demo.
 */
import * as v from "valibot";

export const DEMO_GATEWAY_URL = "http://127.0.0.1:8787";
export const DEMO_TOKEN = "lc_demo_supervisor_token";

export const Settings = v.object({
  /** Base URL of the gateway, http(s); the stream is at ws(s)://…/v1/stream. */
  gatewayUrl: v.pipe(
    v.string(),
    v.url("must be a URL such as http://127.0.0.1:8787"),
    v.check((u) => /^https?:\/\//.test(u), "must start with http:// or https://"),
  ),
  token: v.pipe(v.string(), v.minLength(1, "a token is required"), v.maxLength(4096, "is too long")),
  /** Polling interval of the fallback, in ms. */
  pollIntervalMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(60_000)), 5000),
  notifications: v.optional(v.boolean(), true),
  /** Which desktop notifications to show (each only while `notifications` is on). */
  notify: v.optional(
    v.object({
      /** An urgent session starts, or a session is raised to urgent. */
      urgent: v.optional(v.boolean(), true),
      /** An error of severity error or critical. */
      errors: v.optional(v.boolean(), true),
      /** A session handed off to the human queue. */
      handoff: v.optional(v.boolean(), true),
      /** The connection has been lost for more than a minute. */
      connection: v.optional(v.boolean(), true),
      /** The AI asks for a human (`handoff_requested`). */
      handoffRequest: v.optional(v.boolean(), true),
    }),
    { urgent: true, errors: true, handoff: true, connection: true, handoffRequest: true },
  ),
  /** A hand-off request's waiting timer turns amber after this many seconds… */
  handoffAmberSec: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3600)), 60),
  /** …and red after this many (at least the amber threshold). */
  handoffRedSec: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7200)), 180),
  /** A risk chip shows on cards and messages only from this risk, in percent (sorting by risk uses every score). */
  riskChipMinPercent: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 30),
  /** A sentiment chip shows only when the sentiment is at least this far from neutral (0–1, as shown: ±0.40). */
  sentimentChipMin: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 0.4),
  /** A voice line's confidence stands out below this, in percent (it is always shown, quietly). */
  voiceLowConfidencePercent: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 80),
});
export type Settings = v.InferOutput<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  gatewayUrl: DEMO_GATEWAY_URL,
  token: DEMO_TOKEN,
  pollIntervalMs: 5000,
  notifications: true,
  notify: { urgent: true, errors: true, handoff: true, connection: true, handoffRequest: true },
  handoffAmberSec: 60,
  handoffRedSec: 180,
  riskChipMinPercent: 30,
  sentimentChipMin: 0.4,
  voiceLowConfidencePercent: 80,
};

export type NotificationKind = keyof Settings["notify"];

/** Settings only the panel reads (the worker need not restart when just these change). */
const PANEL_ONLY: readonly (keyof Settings)[] = [
  "handoffAmberSec",
  "handoffRedSec",
  "riskChipMinPercent",
  "sentimentChipMin",
  "voiceLowConfidencePercent",
];

/** Whether two settings differ in anything the worker uses. */
export function workerSettingsDiffer(a: Settings, b: Settings): boolean {
  const strip = (s: Settings) => {
    const copy: Partial<Settings> = { ...s };
    for (const k of PANEL_ONLY) delete copy[k];
    return JSON.stringify(copy); // parseSettings gives the schema's key order
  };
  return strip(a) !== strip(b);
}
export const SETTINGS_KEY = "settings";

/** Reads stored settings (unknown input), falling back to the defaults field by field. */
export function parseSettings(input: unknown): Settings {
  const r = v.safeParse(Settings, input);
  if (r.success) return r.output;
  return { ...DEFAULT_SETTINGS, ...(typeof input === "object" && input !== null ? pickValid(input) : {}) };
}

function pickValid(input: object): Partial<Settings> {
  const out: Partial<Settings> = {};
  for (const key of Object.keys(Settings.entries) as (keyof Settings)[]) {
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const r = v.safeParse(Settings.entries[key], value);
    if (r.success) Object.assign(out, { [key]: r.output });
  }
  return out;
}

export function streamUrl(gatewayUrl: string): string {
  const u = new URL("/v1/stream", gatewayUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u.toString();
}
