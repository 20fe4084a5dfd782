/**
 * The raw limit's page: a bare http:// page (no extension) that opens the
 * same stream, says hello, and does nothing with each frame but `JSON.parse`
 * and count. Served by a throwaway HTTP server on 127.0.0.1.
 */
import { createServer, type Server } from "node:http";
import { PROTOCOL_VERSION } from "../../utils/protocol/index.ts";

export interface RawPageServer {
  origin: string;
  url(streamUrl: string, token: string): string;
  close(): Promise<void>;
}

function page(): string {
  return `<!doctype html><meta charset="utf-8"><title>raw limit</title><body>raw
<script>
const q = new URLSearchParams(location.search);
const R = (globalThis.__raw = { events: 0, seq: 0, welcome: false, closed: null });
const ws = new WebSocket(q.get("ws"));
ws.onopen = () => ws.send(JSON.stringify({ type: "hello", v: ${PROTOCOL_VERSION}, token: q.get("token") }));
ws.onmessage = (e) => {
  const f = JSON.parse(e.data);
  if (f.type === "event") { R.events++; R.seq = f.seq; }
  else if (f.type === "batch") { for (const g of f.frames) if (g.type === "event") { R.events++; R.seq = g.seq; } }
  else if (f.type === "welcome") R.welcome = true;
  else if (f.type === "snapshot") R.seq = f.seq;
};
ws.onclose = (e) => { R.closed = e.code; };
setInterval(() => ws.readyState === 1 && ws.send(JSON.stringify({ type: "ping", id: "p" + Date.now() })), 15000);
</script>`;
}

export async function startRawPageServer(): Promise<RawPageServer> {
  const html = page();
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (streamUrl, token) =>
      `${origin}/raw?ws=${encodeURIComponent(streamUrl)}&token=${encodeURIComponent(token)}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
