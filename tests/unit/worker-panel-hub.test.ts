import { afterEach, describe, expect, it, vi } from "vitest";
import { EMPTY_FILTER, type FilterSpec } from "../../utils/filters";
import type { PanelState, Transcript, ViewSpec, ViewUpdate, WorkerToPanel } from "../../utils/panel-messages";
import type { Session } from "../../utils/protocol";
import { createQueryService } from "../../utils/query";
import { createChangeSet } from "../../utils/store/change-set";
import { createPanelHub } from "../../utils/worker/panel-hub";
import { makeSession } from "../fixtures/frames";
import { createFakePanel } from "../helpers/worker-node";

afterEach(() => vi.useRealTimers());

const spec = (filter: Partial<FilterSpec> = {}, over: Partial<ViewSpec> = {}): ViewSpec => ({
  seq: 1,
  filter: { ...EMPTY_FILTER, ...filter },
  sort: "recent",
  grouping: "unified",
  range: { start: 0, end: 50 },
  ...over,
});

const views = (messages: WorkerToPanel[]): ViewUpdate[] =>
  messages.flatMap((m) => (m.type === "view" ? [m.view] : []));

function setup() {
  vi.useFakeTimers();
  const changes = createChangeSet();
  const sessions = new Map<string, Session>();
  const watches: string[][] = [];
  const commands: string[] = [];
  const hub = createPanelHub({
    changes,
    flushMs: 50,
    query: createQueryService({ sessions }),
    source: {
      state: () => ({}) as unknown as PanelState,
      transcript: (id) => ({ session_id: id, messages: [], streaming: null, loaded: true }) as Transcript,
      extras: () => ({}),
    },
    onWatch: (ids) => watches.push(ids),
    onCommand: (c) => commands.push(c.cmd_id),
    onResync: () => undefined,
  });
  return { hub, changes, sessions, watches, commands };
}

describe("panel hub", () => {
  it("answers a panel's intervention-history request to that panel only", async () => {
    vi.useFakeTimers();
    const asked: unknown[] = [];
    const hub = createPanelHub({
      changes: createChangeSet(),
      query: createQueryService({ sessions: new Map() }),
      source: {
        state: () => ({}) as unknown as PanelState,
        transcript: () => null,
        extras: () => ({}),
      },
      onWatch: () => undefined,
      onCommand: () => undefined,
      onResync: () => undefined,
      onInterventions: (q, reply) => {
        asked.push(q);
        reply({ type: "interventions", request_id: q.request_id, interventions: [] });
      },
    });
    const a = createFakePanel();
    const b = createFakePanel();
    hub.connect(a.port);
    hub.connect(b.port);
    a.send({ type: "interventions", request_id: "r1", session_id: "ses_1" });
    expect(asked).toEqual([{ type: "interventions", request_id: "r1", session_id: "ses_1" }]);
    expect(a.messages.at(-1)).toEqual({ type: "interventions", request_id: "r1", interventions: [] });
    expect(b.messages.map((m) => m.type)).toEqual(["init"]);
    a.send({ type: "interventions", request_id: "r2", limit: 5000 }); // over the limit: refused
    expect(asked).toHaveLength(1);
  });

  it("feeds new message texts of every session, bounded, to the keyword index a panel's view searches", () => {
    const { hub, changes, sessions } = setup();
    const p = createFakePanel();
    hub.connect(p.port);
    p.send({ type: "view", spec: spec({ keyword: "flamingo" }) });
    expect(views(p.messages).at(-1)).toMatchObject({ count: 0, rows: [] });
    for (const id of ["s1", "s2"]) {
      sessions.set(id, makeSession({ id }) as Session);
      changes.session(id);
    }
    changes.message({ session_id: "s1", id: "m1", text: "flamingo lamp" });
    // Past the bound (2,000 characters) the text is cut: the keyword there is not found.
    changes.message({ session_id: "s2", id: "m2", text: `${"x ".repeat(2500)}flamingo` });
    vi.advanceTimersByTime(50);
    const last = views(p.messages).at(-1);
    expect(last).toMatchObject({ total: 2, count: 1, rows: ["s1"] });
    expect(last?.snippets.s1).toContain("flamingo");
    expect(last?.sessions.map((s) => s.id)).toEqual(["s1"]);
    // The messages themselves do not go to the panel.
    expect(p.messages.some((m) => m.type === "patch" && "messages" in m.patch)).toBe(false);
  });

  it("sends init first, a first change at once, then at most one coalesced patch per flushMs (50 here)", () => {
    const { hub, changes, sessions } = setup();
    const p = createFakePanel();
    hub.connect(p.port);
    expect(p.messages.map((m) => m.type)).toEqual(["init"]);
    p.send({ type: "view", spec: spec() });
    expect(p.messages.map((m) => m.type)).toEqual(["init", "view"]); // the answer leaves at once
    const burst = () => {
      for (let i = 0; i < 1000; i++) {
        sessions.set(`s${i % 10}`, makeSession({ id: `s${i % 10}` }) as Session);
        changes.session(`s${i % 10}`);
      }
    };
    burst();
    expect(p.messages).toHaveLength(2); // not inside the burst itself
    vi.advanceTimersByTime(0);
    expect(p.messages).toHaveLength(3);
    const answer = views(p.messages).at(-1);
    expect(answer?.sessions).toHaveLength(10);
    expect(answer?.rows).toHaveLength(10);
    burst();
    vi.advanceTimersByTime(49);
    expect(p.messages).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(p.messages).toHaveLength(4);
  });

  it("sends a watched transcript whole once, then only the messages after what that panel already has", () => {
    vi.useFakeTimers();
    const changes = createChangeSet();
    const m = (id: string) => ({
      id,
      ts: "2026-11-24T10:00:00.000Z",
      role: "agent",
      format: "text",
      text: id,
    });
    let messages = [m("a"), m("b")];
    const hub = createPanelHub({
      changes,
      flushMs: 10,
      query: createQueryService({ sessions: new Map() }),
      source: {
        state: () => ({ transcripts: [] }) as unknown as PanelState,
        transcript: (id) =>
          ({ session_id: id, messages: messages.slice(), streaming: null, loaded: true }) as Transcript,
        extras: () => ({}),
      },
      onWatch: () => undefined,
      onCommand: () => undefined,
      onResync: () => undefined,
    });
    const p = createFakePanel();
    hub.connect(p.port);
    p.send({ type: "watch", session_ids: ["s1"] });
    const lastTranscript = () => {
      const last = p.messages.at(-1);
      return last?.type === "patch" ? last.patch.transcripts?.[0] : undefined;
    };
    changes.transcript("s1");
    vi.advanceTimersByTime(10);
    expect(lastTranscript()?.messages.map((x) => x.id)).toEqual(["a", "b"]);
    expect(lastTranscript()?.from).toBeUndefined();
    messages = [...messages, m("c")];
    changes.transcript("s1");
    vi.advanceTimersByTime(10);
    expect(lastTranscript()).toMatchObject({ drop: 0, from: 2 });
    expect(lastTranscript()?.messages.map((x) => x.id)).toEqual(["c"]);
    // Re-watching (another conversation opened and back) starts whole again.
    p.send({ type: "watch", session_ids: ["s1"] });
    changes.transcript("s1");
    vi.advanceTimersByTime(10);
    expect(lastTranscript()?.messages.map((x) => x.id)).toEqual(["a", "b", "c"]);
    hub.dispose();
  });

  it("sends a change to a transcript a panel watches at the end of the task, not after the rest of flushMs", () => {
    const { hub, changes, sessions } = setup();
    const p = createFakePanel();
    hub.connect(p.port);
    p.send({ type: "view", spec: spec() });
    p.send({ type: "watch", session_ids: ["s1"] });
    const patches = () => p.messages.filter((m) => m.type === "patch" || m.type === "view");
    const before = patches().length;
    sessions.set("s9", makeSession({ id: "s9" }) as Session);
    changes.session("s9");
    vi.advanceTimersByTime(0); // the first change after a quiet spell goes at once
    expect(patches()).toHaveLength(before + 1);
    // Within flushMs of that patch: a session change waits for the interval…
    sessions.set("s9", makeSession({ id: "s9", preview: "changed" }) as Session);
    changes.session("s9");
    vi.advanceTimersByTime(10);
    expect(patches()).toHaveLength(before + 1);
    // …but a streaming token in the watched transcript goes at once; the waiting change reaches the view at
    // the usual pace (a token does not wait for the views' answers).
    changes.transcript("s1");
    changes.transcript("s1");
    vi.advanceTimersByTime(0);
    expect(patches()).toHaveLength(before + 2);
    const last = patches().at(-1);
    expect(last?.type === "patch" && last.patch.transcripts?.map((t) => t.session_id)).toEqual(["s1"]);
    // A transcript no panel watches keeps the interval; the next regular flush brings the view's answer.
    changes.transcript("s2");
    vi.advanceTimersByTime(10);
    expect(changes.dirty).toBe(true);
    vi.advanceTimersByTime(40);
    expect(changes.dirty).toBe(false);
    expect(patches()).toHaveLength(before + 3); // the view answer, not the unwatched transcript
    const answer = patches().at(-1);
    expect(answer?.type === "view" && answer.view.sessions.map((s) => s.id)).toEqual(["s9"]);
    hub.dispose();
  });

  it("forwards the union of several panels' watch sets, and only their own transcripts", () => {
    const { hub, changes, watches } = setup();
    const a = createFakePanel();
    const b = createFakePanel();
    hub.connect(a.port);
    hub.connect(b.port);
    a.send({ type: "watch", session_ids: ["s1", "s2"] });
    b.send({ type: "watch", session_ids: ["s2", "s3"] });
    expect(watches.at(-1)).toEqual(["s1", "s2", "s3"]);
    changes.transcript("s1");
    vi.advanceTimersByTime(50);
    const last = (m: typeof a) => m.messages.at(-1);
    expect(last(a)?.type === "patch" && last(a)?.type === "patch").toBe(true);
    const aPatch = a.messages.at(-1);
    expect(aPatch?.type === "patch" && aPatch.patch.transcripts?.map((t) => t.session_id)).toEqual(["s1"]);
    expect(
      b.messages.some((m) => m.type === "patch" && m.patch.transcripts?.some((t) => t.session_id === "s1")),
    ).toBe(false);
    a.close();
    expect(watches.at(-1)).toEqual(["s2", "s3"]);
  });

  it("answers a view with the changes not yet flushed applied: no row that no longer matches", () => {
    const { hub, changes, sessions } = setup();
    const p = createFakePanel();
    hub.connect(p.port);
    sessions.set("s1", makeSession({ id: "s1", priority: "urgent" }) as Session);
    changes.session("s1");
    vi.advanceTimersByTime(50);
    p.send({ type: "view", spec: spec({ priorities: ["urgent"] }) });
    expect(views(p.messages).at(-1)?.rows).toEqual(["s1"]);
    // s1 is no longer urgent; before the next flush the panel scrolls.
    sessions.set("s1", makeSession({ id: "s1", priority: "low" }) as Session);
    changes.session("s1");
    p.send({
      type: "view",
      spec: spec({ priorities: ["urgent"] }, { seq: 2, range: { start: 0, end: 40 } }),
    });
    const answer = views(p.messages).at(-1);
    expect(answer?.seq).toBe(2);
    expect(answer?.rows).toEqual([]);
    expect(answer?.count).toBe(0);
    hub.dispose();
  });

  it("forgets a panel whose port fails, its view and its watch included", () => {
    const { hub, changes, sessions, watches } = setup();
    const p = createFakePanel();
    let gone = false;
    let posts = 0;
    const postMessage = p.port.postMessage;
    p.port.postMessage = (m) => {
      posts++;
      if (gone) throw new Error("Attempting to use a disconnected port object");
      postMessage(m);
    };
    hub.connect(p.port);
    p.send({ type: "view", spec: spec() });
    p.send({ type: "watch", session_ids: ["s1"] });
    expect(watches.at(-1)).toEqual(["s1"]);
    gone = true;
    sessions.set("s1", makeSession({ id: "s1" }) as Session);
    changes.session("s1");
    vi.advanceTimersByTime(50);
    const tried = posts;
    expect(hub.size).toBe(0);
    expect(watches.at(-1)).toEqual([]);
    sessions.set("s1", makeSession({ id: "s1", preview: "later" }) as Session);
    changes.session("s1");
    vi.advanceTimersByTime(50);
    expect(posts).toBe(tried); // no answer goes to the dead port any more
    hub.dispose();
  });

  it("validates panel messages and rejects bad ones", () => {
    const rejected: string[] = [];
    const { hub, commands } = setup();
    const p = createFakePanel();
    hub.connect(p.port);
    p.send({ type: "watch", session_ids: "s1" });
    p.send({ type: "command", cmd_id: "c1", action: "explode", session_id: "s", reason: "x" });
    p.send({ type: "command", cmd_id: "c2", action: "pause", session_id: "s", reason: "why not" });
    expect(commands).toEqual(["c2"]);
    expect(rejected).toEqual([]);
  });
});
