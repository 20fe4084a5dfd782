/**
 * The live stream's origin rule, shared by the WebSocket upgrade
 * (`ws-server.ts`) and its plain-HTTP probe: a `GET /v1/stream` without an
 * upgrade answers what the upgrade would — 426 when the origin may connect,
 * 403 `ORIGIN_NOT_ALLOWED` naming the origin when not. A browser cannot read
 * the status of a refused upgrade; the options page's connection test asks
 * here, over HTTP, to tell a refused origin from a network that blocks
 * WebSockets. The 403 reflects the origin in Access-Control-Allow-Origin so
 * the page can read why (it carries no data).
 */
import type { FastifyReply } from "fastify";

/** May a WebSocket with this Origin (undefined: none sent) connect? */
export function originAllowed(
  origin: string | undefined,
  allowed: ReadonlySet<string>,
  noOriginOk: boolean,
): boolean {
  return origin === undefined ? noOriginOk : allowed.has(origin.toLowerCase());
}

export function answerStreamProbe(
  reply: FastifyReply,
  origin: string | undefined,
  allowed: ReadonlySet<string>,
  noOriginOk: boolean,
) {
  if (originAllowed(origin, allowed, noOriginOk))
    return reply
      .code(426)
      .header("Upgrade", "websocket")
      .send({
        error: { code: "UPGRADE_REQUIRED", message: "This origin may connect: open a WebSocket here." },
      });
  if (origin) reply.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
  return reply.code(403).send({
    error: {
      code: "ORIGIN_NOT_ALLOWED",
      message: origin
        ? `The origin ${origin} is not in this gateway's allowlist (--allow-origin).`
        : "A request without an Origin needs --allow-no-origin.",
      ...(origin ? { origin } : {}),
    },
  });
}
