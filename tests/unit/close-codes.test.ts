/**
 * Close codes (protocol §6): the wire value of each named code, and what a
 * client does on it — stop for refusals, spread after a gateway-wide close,
 * back off otherwise.
 */
import { describe, expect, it } from "vitest";
import { CloseCode, closeAction, isBackoffCode, isSpreadCode } from "../../utils/protocol";

describe("close codes", () => {
  it("names the wire values of protocol §6", () => {
    expect(CloseCode).toEqual({
      normal: 1000,
      abnormal: 1006,
      linkDead: 4000,
      unauthenticated: 4001,
      forbidden: 4003,
      unsupportedVersion: 4008,
      overCapacity: 4100,
      rateLimited: 4110,
      restarting: 4200,
      stateInvalidated: 4210,
    });
  });

  it("gives every named code its action", () => {
    const actions = Object.fromEntries(
      Object.entries(CloseCode).map(([name, code]) => [name, closeAction(code)]),
    );
    expect(actions).toEqual({
      normal: "backoff",
      abnormal: "backoff",
      linkDead: "backoff",
      unauthenticated: "stop",
      forbidden: "stop",
      unsupportedVersion: "stop",
      overCapacity: "backoff",
      rateLimited: "backoff",
      restarting: "spread",
      stateInvalidated: "spread",
    });
  });

  it("reads unnamed codes by their range", () => {
    expect(closeAction(4002)).toBe("backoff");
    expect(closeAction(4150)).toBe("backoff");
    expect(closeAction(4299)).toBe("spread");
    expect(closeAction(4300)).toBe("backoff");
    expect(closeAction(1011)).toBe("backoff");
  });

  it("tells a 41xx (back off even before a socket came up) and a 42xx apart", () => {
    for (const code of [CloseCode.overCapacity, CloseCode.rateLimited, 4199])
      expect(isBackoffCode(code)).toBe(true);
    for (const code of [CloseCode.normal, CloseCode.abnormal, CloseCode.linkDead, CloseCode.restarting, 4200])
      expect(isBackoffCode(code)).toBe(false);
    for (const code of [CloseCode.restarting, CloseCode.stateInvalidated])
      expect(isSpreadCode(code)).toBe(true);
    for (const code of [CloseCode.overCapacity, 4300, 4199]) expect(isSpreadCode(code)).toBe(false);
  });
});
