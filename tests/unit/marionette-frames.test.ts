import { describe, expect, it } from "vitest";
import { encodeFrame, parseFrames } from "../helpers/marionette";

describe("Marionette framing (the Firefox test's client)", () => {
  it("prefixes the byte length, not the character count, and parses split and joined messages", () => {
    const a = encodeFrame([0, 1, "WebDriver:ExecuteScript", { script: "return 'é→✓'" }]);
    expect(a.toString("latin1").split(":")[0]).toBe(String(a.length - a.indexOf(0x3a) - 1));
    const b = encodeFrame([1, 1, null, { value: "ok" }]);
    const joined = Buffer.concat([a, b]);
    const cut = 7;
    const first = parseFrames(joined.subarray(0, cut));
    expect(first.messages).toEqual([]);
    const rest = parseFrames(Buffer.concat([first.rest, joined.subarray(cut)]));
    expect(rest.messages).toEqual([
      [0, 1, "WebDriver:ExecuteScript", { script: "return 'é→✓'" }],
      [1, 1, null, { value: "ok" }],
    ]);
    expect(rest.rest.length).toBe(0);
  });

  it("refuses a bad length prefix", () => {
    expect(() => parseFrames(Buffer.from("x1:{}"))).toThrow(/bad length prefix/);
  });
});
