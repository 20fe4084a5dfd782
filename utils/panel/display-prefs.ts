/**
 * What the panel shows of the AI's signals, from the settings: the risk chip
 * only when risk is notable, the sentiment chip only when it is far from
 * neutral, and where a voice line's confidence stands out. Everything in
 * fractions (0–1) as the protocol carries it; the settings hold what the user
 * sees (percent for risk and confidence).
 */
import type { Settings } from "../settings";

export interface DisplayPrefs {
  /** Risk score (0–1) from which the risk chip shows. */
  riskMin: number;
  /** Distance from neutral (0–1) from which the sentiment chip shows. */
  sentimentMin: number;
  /** Voice confidence (0–1) below which it stands out. */
  voiceLow: number;
}

export const DEFAULT_DISPLAY_PREFS: DisplayPrefs = { riskMin: 0.3, sentimentMin: 0.4, voiceLow: 0.8 };

export function displayPrefsFromSettings(
  s: Pick<Settings, "riskChipMinPercent" | "sentimentChipMin" | "voiceLowConfidencePercent">,
): DisplayPrefs {
  return {
    riskMin: (s.riskChipMinPercent ?? DEFAULT_DISPLAY_PREFS.riskMin * 100) / 100,
    sentimentMin: s.sentimentChipMin ?? DEFAULT_DISPLAY_PREFS.sentimentMin,
    voiceLow: (s.voiceLowConfidencePercent ?? DEFAULT_DISPLAY_PREFS.voiceLow * 100) / 100,
  };
}

/** Compared in whole percent, as shown: a 29.6 % risk reads "30 %" and meets a 30 % threshold. */
export function riskNotable(score: number, p: DisplayPrefs): boolean {
  return Math.round(score * 100) >= Math.round(p.riskMin * 100);
}

export function sentimentNotable(value: number, p: DisplayPrefs): boolean {
  return Math.round(Math.abs(value) * 100) >= Math.round(p.sentimentMin * 100);
}

export function confidenceLow(confidence: number, p: DisplayPrefs): boolean {
  return Math.round(confidence * 100) < Math.round(p.voiceLow * 100);
}
