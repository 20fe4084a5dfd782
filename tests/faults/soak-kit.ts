/**
 * The soak's parts (tests/faults/soak.test.ts): the gateway child that can be
 * stopped or killed and started again on the same data directory, an agent
 * runtime (the real agent client) whose socket can be dropped, and the drain
 * of the extension worker's seq tap into a SeqAudit.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import WebSocket from "ws";
import { createFakeLlm } from "../../agent-client/fake-llm.ts";
import { type AgentClient, createAgentClient, type WebSocketCtor } from "../../agent-client/index.ts";
import type { GatewayOptions } from "../../gateway/config.ts";
import type { CdpSession } from "../../scripts/bench/cdp.ts";
import type { SeqRecord } from "../../utils/worker/seq-tap.ts";
import { DEMO_AGENT_TOKEN, EXAMPLE_AGENT } from "../helpers/agent-socket.ts";
import type { SeqAudit } from "./kit.ts";

export interface GatewayChild {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  ask<T extends { type: string }>(msg: object, answer: string): Promise<T>;
  /** Open file descriptors of the gateway process (/proc/PID/fd). */
  fds(): number;
  /** `clean`: stop (closes sockets with 42xx, persists) and wait for the exit; `kill`: SIGKILL. */
  end(how: "clean" | "kill"): Promise<void>;
}

export async function startGatewayChild(options: Partial<GatewayOptions>): Promise<GatewayChild> {
  const c: ChildProcess = fork(resolve(import.meta.dirname, "soak-gateway.ts"), [JSON.stringify(options)], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((res) => c.once("exit", () => res()));
  const ready = await new Promise<{ url: string; port: number }>((res, rej) => {
    c.once("message", (m: { type: string; url: string; port: number }) => res(m));
    c.once("exit", (code, signal) => rej(new Error(`gateway child exited with ${code ?? signal}`)));
  });
  return {
    url: ready.url,
    port: ready.port,
    pid: c.pid ?? 0,
    ask<T extends { type: string }>(msg: object, answer: string) {
      return new Promise<T>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no ${answer} from the gateway child`)), 60_000);
        const on = (m: T) => {
          if (m.type !== answer) return;
          clearTimeout(timer);
          c.off("message", on);
          res(m);
        };
        c.on("message", on);
        c.send(msg);
      });
    },
    fds: () => readdirSync(`/proc/${c.pid}/fd`).length,
    async end(how) {
      if (c.exitCode !== null || c.signalCode !== null) return;
      if (how === "kill") c.kill("SIGKILL");
      else c.send({ type: "stop" });
      await exited;
    },
  };
}

export interface SoakRuntime {
  readonly client: AgentClient;
  readonly sessions: readonly string[];
  /** Sessions the gateway said were lost (ended or unknown) on a re-claim. */
  readonly lost: string[];
  readonly replies: number;
  readonly drops: number;
  /** Whether the link is open. */
  open(): boolean;
  /** Drops the socket as a network would (terminate): the client reconnects and re-claims its sessions. */
  drop(): void;
  /** Stops talking, waits until every publish is answered, closes. */
  stop(): Promise<void>;
}

/** A real agent runtime: `count` sessions, one user message and a streamed reply every `everyMs` in turn. */
export async function startSoakRuntime(url: string, count: number, everyMs: number): Promise<SoakRuntime> {
  let current: WebSocket | null = null;
  class Tracked extends WebSocket {
    constructor(address: string) {
      super(address);
      current = this;
    }
  }
  const lost: string[] = [];
  const client = createAgentClient({
    url,
    token: DEMO_AGENT_TOKEN,
    WebSocket: Tracked as unknown as WebSocketCtor,
    backoff: { minMs: 200, maxMs: 2000 },
    onSessionLost: (sid) => lost.push(sid),
  });
  const sessions = Array.from({ length: count }, (_, i) =>
    client.startSession({
      agent: EXAMPLE_AGENT,
      channel: "web",
      user: { id: `u_soak${i}`, name: `Soak ${i}` },
    }),
  );
  await client.idle();
  const llm = createFakeLlm({ tokensPerSecond: 40 });
  let replies = 0;
  let drops = 0;
  let stopped = false;
  const loop = (async () => {
    for (let n = 0; !stopped; n++) {
      const sid = sessions[n % sessions.length] as string;
      const prompt = n % 2 ? "Where is my order?" : "I was charged twice, refund please";
      client.userMessage(sid, prompt);
      await client.streamReply(sid, llm.stream(prompt));
      replies++;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    client,
    sessions,
    lost,
    get replies() {
      return replies;
    },
    get drops() {
      return drops;
    },
    open: () => client.state === "open",
    drop() {
      drops++;
      current?.terminate();
    },
    async stop() {
      stopped = true;
      await loop;
      await client.idle();
      client.close();
    },
  };
}

/** Feeds what the worker's seq tap recorded since the last drain into `audit`; false if the tap overflowed. */
export async function drainTap(worker: CdpSession, audit: SeqAudit): Promise<boolean> {
  const { records, overflowed } = await worker.evaluate<{ records: SeqRecord[]; overflowed: boolean }>(
    "globalThis.__lc.seqTap.drain()",
  );
  for (const r of records) {
    if (r.kind === "snapshot") audit.snapshot(r.epoch, r.seq);
    else for (let s = r.from; s <= r.to; s++) audit.event(r.epoch, s);
  }
  return !overflowed;
}
