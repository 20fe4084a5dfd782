/** Issue 23 items 3 and 4: which chips show, where voice confidence stands out, and the simulated spread. */
import { describe, expect, it } from "vitest";
import { chipsThatFit } from "../../components/chip-row";
import { finalConfidence } from "../../gateway/sim/sim-session";
import {
  confidenceLow,
  DEFAULT_DISPLAY_PREFS,
  displayPrefsFromSettings,
  riskNotable,
  sentimentNotable,
} from "../../utils/panel/display-prefs";
import { DEFAULT_SETTINGS, parseSettings, workerSettingsDiffer } from "../../utils/settings";

describe("display preferences", () => {
  it("come from the settings in the units the user sees (percent for risk and confidence)", () => {
    expect(displayPrefsFromSettings(DEFAULT_SETTINGS)).toEqual(DEFAULT_DISPLAY_PREFS);
    expect(
      displayPrefsFromSettings(
        parseSettings({
          ...DEFAULT_SETTINGS,
          riskChipMinPercent: 50,
          sentimentChipMin: 0.2,
          voiceLowConfidencePercent: 90,
        }),
      ),
    ).toEqual({ riskMin: 0.5, sentimentMin: 0.2, voiceLow: 0.9 });
    // Out of range falls back to the default, field by field.
    expect(parseSettings({ ...DEFAULT_SETTINGS, riskChipMinPercent: 140 }).riskChipMinPercent).toBe(30);
    // The panel alone follows them: changing one does not restart the worker.
    expect(workerSettingsDiffer(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, riskChipMinPercent: 10 })).toBe(
      false,
    );
  });

  it("show the risk chip from the threshold, compared as shown (whole percent)", () => {
    const p = DEFAULT_DISPLAY_PREFS; // 30 %
    expect(riskNotable(0.07, p)).toBe(false);
    expect(riskNotable(0.294, p)).toBe(false);
    expect(riskNotable(0.296, p)).toBe(true);
    expect(riskNotable(0.95, p)).toBe(true);
    expect(riskNotable(0.07, { ...p, riskMin: 0 })).toBe(true);
  });

  it("show sentiment only far enough from neutral, either way", () => {
    const p = DEFAULT_DISPLAY_PREFS; // ±0.40
    expect(sentimentNotable(-0.21, p)).toBe(false);
    expect(sentimentNotable(0.39, p)).toBe(false);
    expect(sentimentNotable(-0.4, p)).toBe(true);
    expect(sentimentNotable(0.8, p)).toBe(true);
  });

  it("make voice confidence stand out below the threshold", () => {
    const p = DEFAULT_DISPLAY_PREFS; // 80 %
    expect(confidenceLow(0.79, p)).toBe(true);
    expect(confidenceLow(0.8, p)).toBe(false);
    expect(confidenceLow(0.91, { ...p, voiceLow: 0.95 })).toBe(true);
  });
});

describe("the simulation's voice confidence", () => {
  it("spreads realistically, lows included", () => {
    const draws = Array.from({ length: 1000 }, (_, i) => finalConfidence((i + 0.5) / 1000));
    const low = draws.filter((c) => c < 0.8).length;
    expect(low).toBeGreaterThan(100);
    expect(low).toBeLessThan(200);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0.55);
    expect(Math.max(...draws)).toBeLessThanOrEqual(0.98);
    expect(new Set(draws.map((c) => Math.floor(c * 10))).size).toBeGreaterThanOrEqual(4);
  });
});

describe("chips that fit", () => {
  it("keeps every chip when all fit, and room for +N when some do not", () => {
    expect(chipsThatFit([40, 40], 86)).toBe(2);
    expect(chipsThatFit([40, 40, 40], 100)).toBe(1); // 40 + 6 + 30 ≤ 100; a second would not leave room
    expect(chipsThatFit([120], 100)).toBe(0);
    expect(chipsThatFit([], 0)).toBe(0);
  });
});
