/**
 * Commands from panels on their way to the gateway. Each keeps the panel's
 * cmd_id (the idempotency key) from first send to final answer; pending ones
 * live in `storage.session` and are sent again, with the same cmd_id, after
 * every reconnect or worker restart. On the socket the answer is an `ack` or
 * `command_error` frame; while only polling works, `POST /v1/commands` with
 * `Idempotency-Key` does the same.
 */
import * as v from "valibot";
import type { KeyValueStorage } from "../platform/kv-storage";
import {
  type Command,
  type CommandBody,
  CommandFrame,
  commandBody,
  decodeCommand,
  type SingleServerFrame,
} from "../protocol";
import type { CommandStatus, PanelCommand } from "./command-schema";
import type { SendPath } from "./connection";
import { GatewayHttpError } from "./http-client";

export const OUTBOX_KEY = "lc_outbox";
const MAX_PENDING = 100;

type Frame = v.InferOutput<typeof CommandFrame>;
const frameOf = (cmd: Command): Frame => ({ type: "command", ...commandBody(cmd) });

export interface OutboxOptions {
  storage: KeyValueStorage;
  path(): SendPath;
  send(frame: Frame): boolean;
  post(body: CommandBody): Promise<{ intervention_id: string }>;
  report(status: CommandStatus): void;
  retryMs?: number;
}

export interface CommandOutbox {
  submit(cmd: PanelCommand): void;
  /** The link is (back) up: send every pending command again, same cmd_id. */
  flush(): void;
  result(frame: Extract<SingleServerFrame, { type: "ack" | "command_error" }>): void;
  restore(): Promise<void>;
  pending(): string[];
  dispose(): void;
}

export function createCommandOutbox(opts: OutboxOptions): CommandOutbox {
  const pending = new Map<string, Command>();
  const inFlightHttp = new Set<string>();
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  function persist(): void {
    void opts.storage.set(OUTBOX_KEY, [...pending.values()].map(frameOf)).catch(() => undefined);
  }

  function settle(status: CommandStatus): void {
    if (status.status !== "pending") {
      pending.delete(status.cmd_id);
      persist();
    }
    opts.report(status);
  }

  function retryLater(): void {
    if (retryTimer === undefined)
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        for (const cmd of pending.values()) attempt(cmd);
      }, opts.retryMs ?? 2000);
  }

  function attempt(cmd: Command): void {
    const path = opts.path();
    if (path === "socket") {
      opts.send(frameOf(cmd));
      return;
    }
    if (path !== "http" || inFlightHttp.has(cmd.cmd_id)) return;
    inFlightHttp.add(cmd.cmd_id);
    opts.post(commandBody(cmd)).then(
      (res) => {
        inFlightHttp.delete(cmd.cmd_id);
        if (pending.has(cmd.cmd_id))
          settle({ cmd_id: cmd.cmd_id, status: "acked", intervention_id: res.intervention_id });
      },
      (e: unknown) => {
        inFlightHttp.delete(cmd.cmd_id);
        if (!pending.has(cmd.cmd_id)) return;
        const err = e instanceof GatewayHttpError && e.kind === "http" ? e : null;
        if (err === null || err.code === "IN_PROGRESS" || err.status >= 500) {
          retryLater(); // unreachable or not decided yet: keep it pending
          return;
        }
        settle({
          cmd_id: cmd.cmd_id,
          status: "failed",
          code: err.code || `HTTP_${err.status}`,
          message: err.message,
          ...(err.retryAfterMs === undefined ? {} : { retry_after_ms: err.retryAfterMs }),
        });
      },
    );
  }

  return {
    submit(cmd) {
      if (pending.has(cmd.cmd_id)) return; // the same click twice: one command
      const meant = decodeCommand(cmd);
      if (!meant.ok) {
        const { code, message } = meant.problem;
        opts.report({ cmd_id: cmd.cmd_id, status: "failed", code, message });
        return;
      }
      if (pending.size >= MAX_PENDING) {
        opts.report({
          cmd_id: cmd.cmd_id,
          status: "failed",
          code: "RATE_LIMITED",
          message: "Too many commands are waiting for the gateway.",
        });
        return;
      }
      pending.set(cmd.cmd_id, meant.value);
      persist();
      opts.report({ cmd_id: cmd.cmd_id, status: "pending" });
      attempt(meant.value);
    },
    flush() {
      for (const cmd of pending.values()) attempt(cmd);
    },
    result(f) {
      if (!pending.has(f.cmd_id)) return;
      if (f.type === "ack") {
        settle({ cmd_id: f.cmd_id, status: "acked", intervention_id: f.intervention_id });
      } else if (f.code === "IN_PROGRESS") {
        retryLater();
      } else {
        settle({
          cmd_id: f.cmd_id,
          status: "failed",
          code: f.code,
          message: f.message,
          ...(f.retry_after_ms === undefined ? {} : { retry_after_ms: f.retry_after_ms }),
        });
      }
    },
    async restore() {
      const saved = v.safeParse(v.array(CommandFrame), await opts.storage.get(OUTBOX_KEY));
      if (!saved.success) return;
      // Each saved command is judged again: one the schema no longer accepts is dropped, not sent.
      for (const frame of saved.output) {
        const meant = decodeCommand(frame);
        if (meant.ok) pending.set(frame.cmd_id, meant.value);
      }
    },
    pending: () => [...pending.keys()],
    dispose() {
      clearTimeout(retryTimer);
    },
  };
}
