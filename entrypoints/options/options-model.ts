/**
 * The options page's model: the form's fields as signals, validation against
 * the Settings schema with a message per field, saving to storage.local, and
 * the connection test. The token is kept in storage.local only and never logged.
 */
import { computed, signal } from "@preact/signals";
import * as v from "valibot";
import type { TestResult, TestSettings } from "@/utils/connection/test-connection";
import { faults } from "@/utils/connection/test-connection-faults";
import { DEFAULT_SETTINGS, parseSettings, SETTINGS_KEY, Settings } from "@/utils/settings";

export interface OptionsDeps {
  load(): Promise<unknown>;
  save(settings: Settings): Promise<void>;
  test(settings: TestSettings): Promise<TestResult>;
}

export type FieldErrors = Partial<
  Record<
    | "gatewayUrl"
    | "token"
    | "pollIntervalMs"
    | "handoffAmberSec"
    | "handoffRedSec"
    | "riskChipMinPercent"
    | "sentimentChipMin"
    | "voiceLowConfidencePercent",
    string
  >
>;

/** What each display threshold must be, said when it is not. */
const DISPLAY_ERRORS = {
  riskChipMinPercent: "A whole number of percent between 0 and 100.",
  sentimentChipMin: "A number between 0 and 1, such as 0.4.",
  voiceLowConfidencePercent: "A whole number of percent between 0 and 100.",
} as const;

const secondsOf = (text: string) => (text.trim() === "" ? Number.NaN : Number(text.trim()));

export function createOptionsModel(deps: OptionsDeps) {
  const gatewayUrl = signal(DEFAULT_SETTINGS.gatewayUrl);
  const token = signal(DEFAULT_SETTINGS.token);
  const pollSeconds = signal(String(DEFAULT_SETTINGS.pollIntervalMs / 1000));
  const notifications = signal(DEFAULT_SETTINGS.notifications);
  const notify = signal({ ...DEFAULT_SETTINGS.notify });
  const handoffAmber = signal(String(DEFAULT_SETTINGS.handoffAmberSec));
  const handoffRed = signal(String(DEFAULT_SETTINGS.handoffRedSec));
  const riskChipMin = signal(String(DEFAULT_SETTINGS.riskChipMinPercent));
  const sentimentChipMin = signal(String(DEFAULT_SETTINGS.sentimentChipMin));
  const voiceLow = signal(String(DEFAULT_SETTINGS.voiceLowConfidencePercent));
  const status = signal<{ kind: "saved" | "error" | "info"; text: string } | null>(null);
  const testResult = signal<TestResult | null>(null);
  const testing = signal(false);
  const touched = signal(false);

  const parsed = computed(() => {
    const seconds = Number(pollSeconds.value.trim());
    return v.safeParse(Settings, {
      gatewayUrl: gatewayUrl.value.trim(),
      token: token.value.trim(),
      pollIntervalMs:
        Number.isFinite(seconds) && pollSeconds.value.trim() !== "" ? Math.round(seconds * 1000) : Number.NaN,
      notifications: notifications.value,
      notify: notify.value,
      handoffAmberSec: secondsOf(handoffAmber.value),
      handoffRedSec: secondsOf(handoffRed.value),
      riskChipMinPercent: secondsOf(riskChipMin.value),
      sentimentChipMin: secondsOf(sentimentChipMin.value),
      voiceLowConfidencePercent: secondsOf(voiceLow.value),
    });
  });

  const errors = computed<FieldErrors>(() => {
    const r = parsed.value;
    if (r.success) {
      return r.output.handoffRedSec < r.output.handoffAmberSec
        ? { handoffRedSec: "The red threshold must not be below the amber one." }
        : {};
    }
    const out: FieldErrors = {};
    for (const issue of r.issues) {
      const key = v.getDotPath(issue)?.split(".")[0] as keyof FieldErrors | undefined;
      if (!key || out[key]) continue;
      out[key] =
        key in DISPLAY_ERRORS
          ? DISPLAY_ERRORS[key as keyof typeof DISPLAY_ERRORS]
          : key === "pollIntervalMs"
            ? "The polling interval must be a number of seconds between 1 and 60."
            : key === "handoffAmberSec" || key === "handoffRedSec"
              ? "A whole number of seconds between 1 and 3600 (amber) or 7200 (red)."
              : key === "gatewayUrl"
                ? `The gateway URL ${issue.message}.`
                : `The token: ${issue.message}.`;
    }
    return out;
  });

  return {
    gatewayUrl,
    token,
    pollSeconds,
    notifications,
    notify,
    handoffAmber,
    handoffRed,
    riskChipMin,
    sentimentChipMin,
    voiceLow,
    status,
    testResult,
    testing,
    touched,
    errors,
    valid: computed(() => parsed.value.success && Object.keys(errors.value).length === 0),
    async load() {
      const s = parseSettings(await deps.load());
      gatewayUrl.value = s.gatewayUrl;
      token.value = s.token;
      pollSeconds.value = String(s.pollIntervalMs / 1000);
      notifications.value = s.notifications;
      notify.value = { ...s.notify };
      handoffAmber.value = String(s.handoffAmberSec);
      handoffRed.value = String(s.handoffRedSec);
      riskChipMin.value = String(s.riskChipMinPercent);
      sentimentChipMin.value = String(s.sentimentChipMin);
      voiceLow.value = String(s.voiceLowConfidencePercent);
    },
    async save() {
      touched.value = true;
      const r = parsed.value;
      if (!r.success || Object.keys(errors.value).length > 0) {
        status.value = { kind: "error", text: "Not saved: fix the fields marked below." };
        return;
      }
      await deps.save(r.output);
      status.value = { kind: "saved", text: "Saved. The extension reconnects with these settings." };
    },
    async test() {
      touched.value = true;
      const e = errors.value;
      if (e.gatewayUrl || e.token) {
        testResult.value = faults.other(
          "The gateway URL or the token is not valid.",
          "Fix the fields marked below first.",
        );
        return;
      }
      testing.value = true;
      testResult.value = null;
      try {
        testResult.value = await deps.test({
          gatewayUrl: gatewayUrl.value.trim(),
          token: token.value.trim(),
          pollIntervalMs: parsed.value.success ? parsed.value.output.pollIntervalMs : undefined,
        });
      } finally {
        testing.value = false;
      }
    },
  };
}

export type OptionsModel = ReturnType<typeof createOptionsModel>;
export { SETTINGS_KEY };
