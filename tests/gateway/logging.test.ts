import { randomUUID } from "node:crypto";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createGateway } from "../../gateway/gateway.ts";
import { api, connectAs, connectClient, TEST_DEFAULTS } from "../helpers/gateway.ts";

describe("logging", () => {
  it("never writes a token to the log, even at trace level", async () => {
    let text = "";
    const sink = {
      write(s: string) {
        text += s;
      },
    };
    const logger = pino({ level: "trace" }, sink);
    const gw = createGateway({ ...TEST_DEFAULTS, rate: 100 }, logger);
    await gw.listen();
    const tg = { url: gw.url, streamUrl: `ws://127.0.0.1:${gw.port}/v1/stream` };
    try {
      const tokens = gw.options.users.map((u) => u.token);
      const c = await connectAs(tg, "lc_demo_supervisor_token");
      c.send({
        type: "command",
        cmd_id: randomUUID(),
        action: "pause",
        session_id: "ses_nope",
        reason: "Log check",
      });
      c.send({ type: "ping" });
      const bad = await connectClient(tg.streamUrl, { hello: { token: "lc_secret_but_wrong_token" } });
      await bad.closed;
      await api(tg, "lc_demo_viewer_token_001", "/v1/commands", {
        body: { cmd_id: randomUUID(), action: "pause", session_id: "ses_x", reason: "Viewer" },
      });
      await api(tg, "lc_secret_but_wrong_token", "/v1/me");
      c.close();
      await c.closed;
      expect(text).toContain("client connected");
      expect(text).toContain("FORBIDDEN");
      for (const t of [...tokens, "lc_secret_but_wrong_token"]) expect(text).not.toContain(t);
    } finally {
      await gw.stop();
    }
  });
});
