/**
 * Issue #9, item 8: authorization. Every role (admin, supervisor, viewer) of
 * two organisations tries each intervention (pause, resume, system message,
 * override, transfer, silent monitoring start/stop) on a session of its own
 * org and of the other org, over the WebSocket and over HTTP. Unauthorized
 * attempts are refused, change nothing and are audited; nobody reaches another
 * org's sessions; unauthenticated attempts are refused; a revoked token is
 * closed with 4001 and everything it sends afterwards is refused.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRecord } from "../../gateway/auth/users.ts";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import { ACTIONS, type EventFrame } from "../../utils/protocol/index.ts";
import {
  api,
  connectAs,
  connectClient,
  simOf,
  startTestGateway,
  type TestClient,
  type TestGateway,
} from "../helpers/gateway.ts";
import {
  type CommandBody,
  commandOnSocket,
  commandOverHttp,
  NEEDS_TAKEOVER,
  type Outcome,
  payloadFor,
} from "./command-kit.ts";
import { recordFigure, scale } from "./figures.ts";

const ROUNDS = scale(5, 1);
const ROLES = ["admin", "supervisor", "viewer"] as const;
type Role = (typeof ROLES)[number];
const ORGS = ["org_a", "org_b"] as const;
type Org = (typeof ORGS)[number];

const token = (org: Org, role: Role | "revocable") => `lc_${org}_${role}_token_0123456789`;
const USERS: UserRecord[] = [
  ...ORGS.flatMap((org) =>
    ROLES.map((role) => ({
      token: token(org, role),
      id: `${role}_${org}`,
      name: `${role} of ${org}`,
      org_id: org,
      roles: [role],
    })),
  ),
  {
    token: token("org_a", "revocable"),
    id: "sup_leaving",
    name: "Leaving",
    org_id: "org_a",
    roles: ["supervisor"],
  },
];
const PERMISSIONS: Record<Role, string[]> = {
  admin: ["sessions:read", "sessions:intervene", "sessions:monitoring"],
  supervisor: ["sessions:read", "sessions:intervene"],
  viewer: ["sessions:read"],
};

let tg: TestGateway;
const orgs = {} as Record<Org, OrgRuntime>;
const sockets = new Map<string, TestClient>();

beforeAll(async () => {
  tg = await startTestGateway({
    users: USERS,
    manualClock: true,
    simulate: false,
    commandsPerMinute: 1_000_000,
    commandBurst: 1_000_000,
  });
  for (const org of ORGS) {
    const o = tg.gateway.orgs.get(org);
    if (!o) throw new Error(`no ${org}`);
    orgs[org] = o;
  }
  for (const org of ORGS)
    for (const role of ROLES) sockets.set(token(org, role), await connectAs(tg, token(org, role)));
});
afterAll(async () => {
  for (const c of sockets.values()) c.close();
  await tg?.stop();
});

const auditOf = (org: Org) => tg.gateway.audit.list(org, { limit: 1_000_000, includeRefused: true });
const seqs = () => ORGS.map((o) => orgs[o].state.log.lastSeq());
const sessionJson = (org: Org, id: string) => JSON.stringify(orgs[org].state.session(id));

function body(action: string, sessionId: string): CommandBody {
  return {
    cmd_id: randomUUID(),
    action,
    session_id: sessionId,
    reason: "Authorization matrix",
    payload: payloadFor(action),
  };
}

async function attempt(tok: string, transport: "ws" | "http", b: CommandBody): Promise<Outcome> {
  if (transport === "http") return commandOverHttp(tg, tok, b);
  const c = sockets.get(tok);
  if (!c) throw new Error("no socket");
  return commandOnSocket(c, b);
}

describe("item 8: roles × permissions × actions × transports", () => {
  it("allows admins and supervisors in their org; refuses, audits and ignores everything else", async () => {
    // Each role gets the permissions of its role, on the WebSocket and over HTTP.
    for (const org of ORGS)
      for (const role of ROLES) {
        const me = (await api(tg, token(org, role), "/v1/me")).body.user;
        expect(me.permissions).toEqual(PERMISSIONS[role]);
        const welcome = sockets.get(token(org, role))?.frames[0];
        expect(welcome?.type === "welcome" && welcome.user.permissions).toEqual(PERMISSIONS[role]);
      }

    const tally = {
      allowed: { tried: 0, ok: 0 },
      forbidden: { tried: 0, refused: 0, noEffect: 0, audited: 0 },
      crossOrg: { tried: 0, refused: 0, noEffect: 0, audited: 0 },
    };
    const wrong: string[] = [];
    for (let round = 0; round < ROUNDS; round++)
      for (const actorOrg of ORGS)
        for (const role of ROLES)
          for (const action of ACTIONS)
            for (const transport of ["ws", "http"] as const)
              for (const targetOrg of ORGS) {
                const tok = token(actorOrg, role);
                const s = simOf(tg.gateway, targetOrg).spawn({ auto: false });
                const b = body(action, s.id);
                // Replying and handing back are the take-over holder's: take over first.
                if (role !== "viewer" && actorOrg === targetOrg && NEEDS_TAKEOVER.includes(action))
                  expect((await attempt(tok, "ws", body("take_over", s.id))).ok).toBe(true);
                // Approving and rejecting need a draft waiting (as the runtime announces it).
                if (action === "approve_draft" || action === "reject_draft")
                  orgs[targetOrg].state.emit("draft_ready", s.id, {
                    draft_id: "drf_fault",
                    text: "A draft",
                    created_at: new Date().toISOString(),
                    expires_at: new Date().toISOString(),
                  });
                const before = {
                  seqs: seqs(),
                  session: sessionJson(targetOrg, s.id),
                  audit: ORGS.map((o) => auditOf(o).length),
                };
                const r = await attempt(tok, transport, b);
                const label = `${role}@${actorOrg} ${action} via ${transport} on ${targetOrg}: ${JSON.stringify(r)}`;
                const unchanged =
                  JSON.stringify(seqs()) === JSON.stringify(before.seqs) &&
                  sessionJson(targetOrg, s.id) === before.session;
                const newAudit = ORGS.map((o) => auditOf(o).slice(before.audit[ORGS.indexOf(o)]));
                const mayIntervene = role !== "viewer";
                if (!mayIntervene) {
                  // Authorization comes first: FORBIDDEN whatever the session, audited in the caller's org.
                  tally.forbidden.tried++;
                  const refused = !r.ok && r.code === "FORBIDDEN" && (transport === "ws" || r.status === 403);
                  if (refused) tally.forbidden.refused++;
                  if (unchanged) tally.forbidden.noEffect++;
                  const own = newAudit[ORGS.indexOf(actorOrg)] ?? [];
                  const other = newAudit[1 - ORGS.indexOf(actorOrg)] ?? [];
                  const audited =
                    own.length === 1 &&
                    own[0]?.outcome === "refused:FORBIDDEN" &&
                    own[0]?.cmd_id === b.cmd_id &&
                    own[0]?.admin_id === `${role}_${actorOrg}` &&
                    other.length === 0;
                  if (audited) tally.forbidden.audited++;
                  if (!refused || !unchanged || !audited) wrong.push(label);
                } else if (actorOrg !== targetOrg) {
                  // Another org's session does not exist for this caller.
                  tally.crossOrg.tried++;
                  const refused =
                    !r.ok && r.code === "SESSION_NOT_FOUND" && (transport === "ws" || r.status === 404);
                  if (refused) tally.crossOrg.refused++;
                  if (unchanged) tally.crossOrg.noEffect++;
                  // A denied attempt in the caller's org's audit log (issue 19 item 8), nothing in the target's.
                  const own = newAudit[ORGS.indexOf(actorOrg)] ?? [];
                  const target = newAudit[ORGS.indexOf(targetOrg)] ?? [];
                  const traced =
                    own.length === 1 &&
                    own[0]?.outcome === "refused:SESSION_NOT_FOUND" &&
                    own[0]?.cmd_id === b.cmd_id &&
                    own[0]?.session_id === s.id &&
                    own[0]?.admin_id === `${role}_${actorOrg}` &&
                    target.length === 0;
                  if (traced) tally.crossOrg.audited++;
                  if (!refused || !unchanged || !traced) wrong.push(label);
                } else {
                  tally.allowed.tried++;
                  const own = newAudit[ORGS.indexOf(actorOrg)] ?? [];
                  const ok =
                    r.ok &&
                    !unchanged &&
                    own.length === 1 &&
                    own[0]?.outcome === "accepted" &&
                    own[0]?.intervention_id === r.intervention_id;
                  if (ok) tally.allowed.ok++;
                  else wrong.push(label);
                }
              }

    // The silent monitor stays silent for non-admins: monitored_by is never shown to them.
    const watched = simOf(tg.gateway, "org_a").spawn({ auto: false });
    expect((await attempt(token("org_a", "admin"), "ws", body("cobrowse_start", watched.id))).ok).toBe(true);
    const supSnap = (await api(tg, token("org_a", "supervisor"), "/v1/snapshot")).body;
    const admSnap = (await api(tg, token("org_a", "admin"), "/v1/snapshot")).body;
    const find = (snap: { sessions: { id: string; monitored_by?: string[] }[] }) =>
      snap.sessions.find((x) => x.id === watched.id);
    expect(find(admSnap)?.monitored_by).toEqual(["admin_org_a"]);
    expect(find(supSnap)).toBeDefined();
    expect(find(supSnap)?.monitored_by).toBeUndefined();
    const supStream = sockets.get(token("org_a", "supervisor"));
    expect(JSON.stringify(supStream?.frames.filter((f) => f.type === "event") ?? [])).not.toContain(
      "monitored_by",
    );

    const f = tally.forbidden;
    recordFigure({
      item: 8,
      what: `unauthorized commands (viewer × ${ACTIONS.length} actions × WS/HTTP × own/other org, ×${ROUNDS})`,
      value: `${f.refused}/${f.tried} refused, ${f.noEffect}/${f.tried} without effect, ${f.audited}/${f.tried} audited`,
      target: "all refused, no effect, audited",
      ok: f.refused === f.tried && f.noEffect === f.tried && f.audited === f.tried,
    });
    const x = tally.crossOrg;
    recordFigure({
      item: 8,
      what: "cross-org commands (admin/supervisor on the other org's sessions)",
      value: `${x.refused}/${x.tried} refused (SESSION_NOT_FOUND), ${x.noEffect}/${x.tried} without effect, ${x.audited}/${x.tried} audited in the caller's org`,
      target: "all refused, no effect, audited",
      ok: x.refused === x.tried && x.noEffect === x.tried && x.audited === x.tried,
    });
    recordFigure({
      item: 8,
      what: "authorized commands (admin/supervisor, own org), for contrast",
      value: `${tally.allowed.ok}/${tally.allowed.tried} applied and audited`,
      target: "all",
      ok: tally.allowed.ok === tally.allowed.tried,
    });
    expect(wrong).toEqual([]);
    expect(f.tried).toBe(ROUNDS * 2 * ACTIONS.length * 2 * 2);
    expect(x.tried).toBe(ROUNDS * 2 * 2 * ACTIONS.length * 2);
    expect(tally.allowed.tried).toBe(x.tried);
  });

  it("shows no organisation anything of another: reads and the stream", async () => {
    const secret = simOf(tg.gateway, "org_a").spawn({ auto: false });
    secret.userMessage("a secret of org_a");
    expect((await attempt(token("org_a", "supervisor"), "http", body("pause", secret.id))).ok).toBe(true);
    const reads: [string, (b: unknown) => boolean][] = [
      [`/v1/sessions/${secret.id}`, () => false],
      ["/v1/snapshot", (b) => JSON.stringify(b).includes(secret.id)],
      [
        `/v1/interventions?session_id=${secret.id}&include_refused=true`,
        (b) => JSON.stringify(b).includes(secret.id),
      ],
      ["/v1/interventions?include_refused=true", (b) => JSON.stringify(b).includes(secret.id)],
      [
        `/v1/events?epoch=${orgs.org_b.state.log.epoch}&after=0`,
        (b) => JSON.stringify(b).includes(secret.id),
      ],
    ];
    let tried = 0;
    let leaked = 0;
    for (const role of ROLES)
      for (const [path, leaks] of reads) {
        tried++;
        const r = await api(tg, token("org_b", role), path);
        const refusedOrClean = path.startsWith("/v1/sessions/")
          ? r.status === 404
          : r.status === 200 && !leaks(r.body);
        if (!refusedOrClean) leaked++;
      }
    // Nothing of org_a ever reached a socket of org_b.
    for (const role of ROLES) {
      tried++;
      const c = sockets.get(token("org_b", role));
      const events = c?.frames.filter((fr): fr is EventFrame => fr.type === "event") ?? [];
      if (
        JSON.stringify(c?.frames ?? []).includes("secret of org_a") ||
        events.some((e) => e.session_id === secret.id)
      )
        leaked++;
    }
    recordFigure({
      item: 8,
      what: "cross-org reads (transcript, snapshot, audit, events, stream) by each role of the other org",
      value: `${leaked} of ${tried} leaked`,
      target: "0 leaked",
      ok: leaked === 0,
    });
    expect(leaked).toBe(0);
  });

  it("refuses unauthenticated attempts: no token, a wrong token, a command before hello", async () => {
    const s = simOf(tg.gateway, "org_a").spawn({ auto: false });
    const seq = seqs();
    const audit = auditOf("org_a").length;
    let tried = 0;
    let refused = 0;
    for (const tok of [null, "lc_not_a_real_token_at_all", `${token("org_a", "admin")}x`, ""]) {
      tried++;
      const r = await api(tg, tok, "/v1/commands", { body: body("pause", s.id) });
      if (r.status === 401 && r.body.error.code === "UNAUTHENTICATED") refused++;
    }
    for (const hello of [{ token: "lc_not_a_real_token_at_all" }, { token: `${token("org_a", "admin")} ` }]) {
      tried++;
      const c = await connectClient(tg.streamUrl, { hello });
      c.send({ type: "command", ...body("pause", s.id) });
      if ((await c.closed).code === 4001 && c.frames.length === 0) refused++;
    }
    tried++;
    const early = await connectClient(tg.streamUrl);
    early.send({ type: "command", ...body("pause", s.id) });
    if ((await early.closed).code === 4001 && early.frames.length === 0) refused++;
    const unchanged = JSON.stringify(seqs()) === JSON.stringify(seq) && auditOf("org_a").length === audit;
    recordFigure({
      item: 8,
      what: "unauthenticated commands (no/wrong token over HTTP, bad hello, command before hello)",
      value: `${refused}/${tried} refused (401 / 4001), ${unchanged ? "no" : "SOME"} effect`,
      target: "all refused, no effect",
      ok: refused === tried && unchanged,
    });
    expect(refused).toBe(tried);
    expect(unchanged).toBe(true);
  });

  it("closes a revoked token's sockets with 4001 and refuses everything it sends afterwards", async () => {
    const tok = token("org_a", "revocable");
    const s = simOf(tg.gateway, "org_a").spawn({ auto: false });
    const a = await connectAs(tg, tok);
    const b = await connectAs(tg, tok);
    const bystander = sockets.get(token("org_a", "supervisor")) as TestClient;
    expect((await commandOnSocket(a, body("system_message", s.id))).ok).toBe(true);
    const seq = seqs();
    const audit = auditOf("org_a").length;
    const ignoredBefore = tg.gateway.counters.frames_ignored;

    expect(tg.gateway.revokeToken(tok)).toBe(true);
    // Frames already on their way when the token is revoked: the gateway must not act on them.
    const inFlight = [body("pause", s.id), body("transfer", s.id)];
    a.send({ type: "command", ...inFlight[0] });
    b.send({ type: "command", ...inFlight[1] });
    const closes = await Promise.all([a.closed, b.closed]);
    const ignoredInFlight = tg.gateway.counters.frames_ignored - ignoredBefore;
    const later: { what: string; refused: boolean }[] = [];
    const http = await commandOverHttp(tg, tok, body("pause", s.id));
    later.push({ what: "HTTP command", refused: !http.ok && http.status === 401 });
    const me = await api(tg, tok, "/v1/me");
    later.push({ what: "HTTP read", refused: me.status === 401 });
    const again = await connectClient(tg.streamUrl, { hello: { token: tok } });
    again.send({ type: "command", ...body("pause", s.id) });
    const againClose = await again.closed;
    later.push({ what: "new socket", refused: againClose.code === 4001 && again.frames.length === 0 });
    const answered = [...a.frames, ...b.frames].filter(
      (f) => (f.type === "ack" || f.type === "command_error") && inFlight.some((x) => x.cmd_id === f.cmd_id),
    );
    later.push({ what: "in-flight socket commands", refused: answered.length === 0 });
    const unchanged = JSON.stringify(seqs()) === JSON.stringify(seq) && auditOf("org_a").length === audit;
    // Everyone else carries on.
    expect((await commandOnSocket(bystander, body("resume", s.id))).ok).toBe(true);

    const closedOk = closes.filter((c) => c.code === 4001 && c.reason === "token revoked").length;
    const refusedLater = later.filter((l) => l.refused).length;
    recordFigure({
      item: 8,
      what: "revoked token: its open sockets; what it sends afterwards (in flight, new socket, HTTP)",
      value: `${closedOk}/2 closed with 4001; ${refusedLater}/${later.length} refused; ${unchanged ? "no" : "SOME"} effect`,
      target: "all closed 4001, all refused, no effect",
      ok: closedOk === 2 && refusedLater === later.length && unchanged,
    });
    expect(closes).toEqual([
      { code: 4001, reason: "token revoked" },
      { code: 4001, reason: "token revoked" },
    ]);
    expect(later.filter((l) => !l.refused)).toEqual([]);
    expect(unchanged).toBe(true);
    expect(ignoredInFlight).toBe(inFlight.length);
    expect(tg.gateway.revokeToken("lc_never_issued_token_000")).toBe(false);
  });
});
