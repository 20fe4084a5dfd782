import { describe, expect, it } from "vitest";
import {
  elapsedSince,
  formatDuration,
  formatElapsed,
  formatPercent,
  formatSize,
  plainPreview,
} from "@/utils/format";

describe("format", () => {
  it("elapsed time is m:ss under an hour and h:mm:ss above", () => {
    expect(formatElapsed(0)).toBe("0:00");
    expect(formatElapsed(65_400)).toBe("1:05");
    expect(formatElapsed(3_599_000)).toBe("59:59");
    expect(formatElapsed(3_600_000)).toBe("1:00:00");
    expect(formatElapsed(36_061_000)).toBe("10:01:01");
    expect(formatElapsed(-5_000)).toBe("0:00");
    expect(elapsedSince("2026-06-24T16:30:00.000Z", Date.parse("2026-06-24T16:31:30.000Z"))).toBe("1:30");
    expect(elapsedSince("nope", 0)).toBe("-:--");
  });
  it("sizes, durations and percentages", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(20_480)).toBe("20 KB");
    expect(formatSize(1_468_006)).toBe("1.4 MB");
    expect(formatSize(-1)).toBe("unknown size");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(1_240)).toBe("1.2 s");
    expect(formatDuration(42_400)).toBe("42 s");
    // From a minute on, the same m:ss / h:mm:ss as every running time.
    expect(formatDuration(192_000)).toBe(formatElapsed(192_000));
    expect(formatDuration(192_000)).toBe("3:12");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatPercent(0.023)).toBe("2.3%");
    expect(formatPercent(0.5)).toBe("50%");
  });
  it("previews without formatting marks", () => {
    expect(plainPreview("I'm sorry: - **Order:** #1\n- _Status_: `ok`")).toBe(
      "I'm sorry: - Order: #1 Status: ok",
    );
    expect(plainPreview("snake_case stays, 2 * 3 too")).toBe("snake_case stays, 2 * 3 too");
  });
});
