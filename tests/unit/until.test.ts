/** The tests' wait helper: resolves with the first value, and names what it waited for on timeout. */
import { describe, expect, it } from "vitest";
import { until } from "../helpers/until";

describe("until", () => {
  it("resolves with the first value that is not undefined, null or false (0 and empty strings count)", async () => {
    let n = 0;
    await expect(until("n to reach 3", () => (++n >= 3 ? n : undefined))).resolves.toBe(3);
    await expect(until("zero", () => 0)).resolves.toBe(0);
    await expect(until("async value", async () => "ok")).resolves.toBe("ok");
  });

  it("throws naming what it waited for and the last value seen", async () => {
    let n = 0;
    await expect(until("the answer", () => (++n > 0 ? false : 1), 30)).rejects.toThrow(
      /timed out after 30 ms waiting for the answer; last value: false/,
    );
  });

  it("keeps polling through errors and reports the last one", async () => {
    let n = 0;
    await expect(
      until("a page", () => {
        if (++n < 3) throw new Error("not loaded");
        return "loaded";
      }),
    ).resolves.toBe("loaded");
    await expect(
      until(
        "never",
        () => {
          throw new Error("still broken");
        },
        30,
      ),
    ).rejects.toThrow(/waiting for never; last error: still broken/);
  });
});
