/**
 * Issue #9, item 9: handshakes the gateway must refuse, each as the protocol
 * says (§1, §2, §6): a web page's origin, another extension's origin, no
 * Origin at all (HTTP 403 before the upgrade); a client that never says hello
 * (4001 after 5 s — the gateway's `helloTimeoutMs`, shortened in the fast
 * part); another protocol version (4008). A refused client gets nothing of the
 * stream, and the gateway keeps serving the others.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXTENSION_ORIGIN } from "../../utils/extension-id.ts";
import {
  connectAs,
  connectClient,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";
import { FULL, recordFigure, scale } from "./figures.ts";

const R = scale(20, 5);
const HELLO_TIMEOUT_MS = FULL ? 5000 : 300;
const OTHER_EXTENSION_ID = "abcdefghijklmnopabcdefghijklmnop";
const LABEL: Record<string, string> = {
  "web page": "a web page's Origin",
  "another extension": "another extension's Origin",
  "look-alike": "a look-alike of the extension's Origin",
  "no Origin": "no Origin",
};

let tg: TestGateway;
let control: TestClient;

beforeAll(async () => {
  tg = await startTestGateway({ helloTimeoutMs: HELLO_TIMEOUT_MS });
  control = await connectAs(tg, tg.tokens.supervisor);
});
afterAll(async () => {
  control?.close();
  await tg?.stop();
});

/** The control client still gets live events: the gateway serves on. */
async function stillServing(): Promise<boolean> {
  const from = control.frames.length;
  try {
    await control.waitFor((f) => f.type === "event", 10_000, from);
    return true;
  } catch {
    return false;
  }
}

/** Tries an upgrade; resolves with the HTTP status of a refusal, or "open" (then closes it). */
async function upgrade(origin: string): Promise<number | "open"> {
  try {
    const c = await connectClient(tg.streamUrl, { origin, hello: { token: tg.tokens.supervisor } });
    c.close();
    return "open";
  } catch (e) {
    const m = /HTTP (\d+)/.exec((e as Error).message);
    return m ? Number(m[1]) : "open";
  }
}

describe("item 9: refused handshakes", () => {
  it("refuses web origins, other extensions' origins and no Origin with 403 before the upgrade", async () => {
    const origins: [string, string][] = [
      ["web page", "https://evil.example"],
      ["web page", "http://localhost:3000"],
      ["web page", "null"],
      ["another extension", `chrome-extension://${OTHER_EXTENSION_ID}`],
      ["another extension", "moz-extension://6f1c2b1e-3d4a-4b5c-8d6e-0f1a2b3c4d5e"],
      ["look-alike", `${EXTENSION_ORIGIN}.evil.example`],
      ["look-alike", `${EXTENSION_ORIGIN}x`],
      ["look-alike", EXTENSION_ORIGIN.replace("chrome-extension", "https")],
      ["no Origin", ""],
    ];
    const connectionsBefore = tg.gateway.connectionCount();
    const results: { kind: string; origin: string; status: number | "open" }[] = [];
    for (let r = 0; r < R; r++)
      for (const [kind, origin] of origins) results.push({ kind, origin, status: await upgrade(origin) });
    // The HTTP API does not let those pages read it either (no CORS grant).
    const cors = await fetch(`${tg.url}/v1/me`, {
      headers: { authorization: `Bearer ${tg.tokens.supervisor}`, origin: "https://evil.example" },
    });
    const corsGranted = cors.headers.get("access-control-allow-origin");
    // The real extension is let in.
    const allowed = await upgrade(EXTENSION_ORIGIN);
    const serving = await stillServing();

    const refused = results.filter((x) => x.status === 403).length;
    for (const kind of ["web page", "another extension", "look-alike", "no Origin"]) {
      const mine = results.filter((x) => x.kind === kind);
      recordFigure({
        item: 9,
        what: `WebSocket upgrade with ${LABEL[kind]} (${mine.length / R} × ${R})`,
        value: `${mine.filter((x) => x.status === 403).length}/${mine.length} refused with 403`,
        target: "all 403",
        ok: mine.every((x) => x.status === 403),
      });
    }
    expect(results.filter((x) => x.status !== 403)).toEqual([]);
    expect(refused).toBe(R * origins.length);
    expect(corsGranted).toBeNull();
    expect(allowed).toBe("open");
    expect(serving).toBe(true);
    expect(tg.gateway.connectionCount()).toBeLessThanOrEqual(connectionsBefore + 1);
  });

  it(`closes a client that sends no hello within ${HELLO_TIMEOUT_MS} ms with 4001`, async () => {
    const started = Date.now();
    const silent = await Promise.all(Array.from({ length: R }, () => connectClient(tg.streamUrl)));
    // One says only "ping" (not a hello): closed at once, also 4001.
    const chatty = await connectClient(tg.streamUrl);
    chatty.send({ type: "ping", id: "p1" });
    const closes = await Promise.all(
      silent.map(async (c) => {
        const { code } = await c.closed;
        return { code, ms: Date.now() - started, frames: c.frames.length };
      }),
    );
    const chattyClose = await chatty.closed;
    const serving = await stillServing();
    const ok = closes.filter((c) => c.code === 4001 && c.frames === 0);
    const times = closes.map((c) => c.ms);
    const earliest = Math.min(...times);
    const latest = Math.max(...times);
    recordFigure({
      item: 9,
      what: `no hello within ${HELLO_TIMEOUT_MS / 1000} s (${R} silent sockets)`,
      value: `${ok.length}/${R} closed with 4001 after ${(earliest / 1000).toFixed(2)}–${(latest / 1000).toFixed(2)} s; 0 frames sent`,
      target: `4001 at ${HELLO_TIMEOUT_MS / 1000} s`,
      ok: ok.length === R && earliest >= HELLO_TIMEOUT_MS - 50 && latest < HELLO_TIMEOUT_MS + 2000,
    });
    expect(ok).toHaveLength(R);
    // Not before the limit (less a little for timer granularity) and not long after it.
    expect(earliest).toBeGreaterThanOrEqual(HELLO_TIMEOUT_MS - 50);
    expect(latest).toBeLessThan(HELLO_TIMEOUT_MS + 2000);
    expect(chattyClose.code).toBe(4001);
    expect(serving).toBe(true);
  });

  it("closes a hello for another protocol version with 4008 and sends nothing", async () => {
    const versions: unknown[] = [2, 0, 99, "1", 1.5, null];
    let tried = 0;
    let refused = 0;
    for (let r = 0; r < R; r++)
      for (const v of versions) {
        tried++;
        const c = await connectClient(tg.streamUrl, { hello: { token: tg.tokens.supervisor, v } });
        const { code } = await c.closed;
        if (code === 4008 && c.frames.length === 0) refused++;
      }
    // A hello without any version is not v1 either.
    tried++;
    const bare = await connectClient(tg.streamUrl);
    bare.send({ type: "hello", token: tg.tokens.supervisor });
    const bareClose = await bare.closed;
    if (bareClose.code === 4008 && bare.frames.length === 0) refused++;
    const serving = await stillServing();
    recordFigure({
      item: 9,
      what: `hello with an unsupported version (${versions.length + 1} kinds × ${R})`,
      value: `${refused}/${tried} closed with 4008, 0 frames sent`,
      target: "all 4008",
      ok: refused === tried,
    });
    expect(refused).toBe(tried);
    expect(serving).toBe(true);
    expect(control.errors).toEqual([]);
  });
});
