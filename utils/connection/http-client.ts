/**
 * The gateway's HTTP side (protocol §1) with typed answers: every body is
 * validated, every failure becomes a GatewayHttpError saying what failed
 * (unreachable, status + error code, or an invalid body). The token travels
 * in the Authorization header only, never in a URL or a message.
 */

import type * as v from "valibot";
import type { CommandBody } from "../protocol";
import {
  CommandResponse,
  decodeWith,
  ErrorBody,
  EventsResponse,
  InterventionsResponse,
  SessionResponse,
  SnapshotResponse,
} from "../protocol";

export type HttpFailure = "unreachable" | "http" | "invalid";

export class GatewayHttpError extends Error {
  constructor(
    readonly kind: HttpFailure,
    message: string,
    readonly status = 0,
    readonly code = "",
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "GatewayHttpError";
  }
}

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface GatewayHttp {
  events(epoch: string, after: number, limit?: number): Promise<v.InferOutput<typeof EventsResponse>>;
  snapshot(): Promise<v.InferOutput<typeof SnapshotResponse>>;
  session(id: string): Promise<v.InferOutput<typeof SessionResponse>>;
  command(body: CommandBody): Promise<v.InferOutput<typeof CommandResponse>>;
  interventions(query: {
    session_id?: string;
    limit?: number;
  }): Promise<v.InferOutput<typeof InterventionsResponse>>;
  /** Raw GET with auth, for the options page's connection test. */
  get(path: string): Promise<unknown>;
}

export interface GatewayHttpOptions {
  baseUrl: string;
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export function createGatewayHttp(opts: GatewayHttpOptions): GatewayHttp {
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function request(path: string, init: RequestInit = {}): Promise<unknown> {
    const url = new URL(path, opts.baseUrl).toString();
    let res: Response;
    try {
      res = await doFetch(url, {
        ...init,
        headers: { authorization: `Bearer ${opts.token}`, ...(init.headers as Record<string, string>) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new GatewayHttpError("unreachable", `gateway unreachable (${(e as Error).message})`);
    }
    let body: unknown = null;
    const text = await res.text().catch(() => "");
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (!res.ok) {
      const err = decodeWith(ErrorBody, body);
      if (err.ok) {
        const { code, message, retry_after_ms } = err.value.error;
        throw new GatewayHttpError(
          "http",
          `${res.status} ${code}: ${message}`,
          res.status,
          code,
          retry_after_ms,
        );
      }
      throw new GatewayHttpError("http", `HTTP ${res.status}`, res.status);
    }
    return body;
  }

  async function typed<S extends v.GenericSchema>(schema: S, path: string, init?: RequestInit) {
    const body = await request(path, init);
    const decoded = decodeWith(schema, body);
    if (!decoded.ok)
      throw new GatewayHttpError(
        "invalid",
        `invalid answer from ${path.split("?")[0]}: ${decoded.error.path} ${decoded.error.message}`,
      );
    return decoded.value;
  }

  return {
    events(epoch, after, limit = 500) {
      const q = new URLSearchParams({ epoch, after: String(after), limit: String(limit) });
      return typed(EventsResponse, `/v1/events?${q}`);
    },
    snapshot() {
      return typed(SnapshotResponse, "/v1/snapshot");
    },
    interventions(query) {
      const q = new URLSearchParams();
      if (query.session_id) q.set("session_id", query.session_id);
      if (query.limit) q.set("limit", String(query.limit));
      const qs = q.toString();
      return typed(InterventionsResponse, qs ? `/v1/interventions?${qs}` : "/v1/interventions");
    },
    session(id) {
      return typed(SessionResponse, `/v1/sessions/${encodeURIComponent(id)}`);
    },
    command(body) {
      return typed(CommandResponse, "/v1/commands", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": body.cmd_id },
        body: JSON.stringify(body),
      });
    },
    get(path) {
      return request(path);
    },
  };
}
