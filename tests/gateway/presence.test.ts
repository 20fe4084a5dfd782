/**
 * Presence (issue 12) over real sockets: a connection watching a session is
 * one of its viewers; every client of the org gets `presence` frames with the
 * whole list when it changes (and the current lists after its welcome); a
 * silent co-browser is shown to admins only, marked `silent`; a closed socket
 * leaves the list. Presence is ephemeral: it never enters the event log.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgRuntime } from "../../gateway/org/interventions.ts";
import type { Simulation } from "../../gateway/sim/simulation.ts";
import type { PresenceFrame } from "../../utils/protocol/index.ts";
import { connectAs, simOf, startTestGateway, type TestClient, type TestGateway } from "../helpers/gateway.ts";

let tg: TestGateway;
let org: OrgRuntime;
let sim: Simulation;

beforeAll(async () => {
  tg = await startTestGateway({ simulate: false });
  const o = tg.gateway.orgs.get("org_demo");
  if (!o) throw new Error("no org");
  org = o;
  sim = simOf(tg.gateway);
});
afterAll(() => tg.stop());

const ids = (f: PresenceFrame) => f.viewers.map((v) => (v.silent ? `${v.id}(silent)` : v.id));
/** The next presence frame of a session (from `from` on) whose viewer ids are `want`. */
const presenceOf = (c: TestClient, sid: string, want: string[], from = 0) =>
  c.waitFor<PresenceFrame>(
    (f) => f.type === "presence" && f.session_id === sid && JSON.stringify(ids(f)) === JSON.stringify(want),
    5000,
    from,
  );

describe("presence", () => {
  it("lists who views a session, to every client of the org; a closed socket leaves the list", async () => {
    const s = sim.spawn({ auto: false });
    const seq = org.state.log.lastSeq();
    const sup = await connectAs(tg, tg.tokens.supervisor, { watch: [s.id] });
    await presenceOf(sup, s.id, ["sup_dana"]);
    // A client connecting later gets the current lists after its welcome.
    const viewer = await connectAs(tg, tg.tokens.viewer);
    const first = await presenceOf(viewer, s.id, ["sup_dana"]);
    expect(first.viewers[0]).toEqual({ id: "sup_dana", name: "Dana Supervisor" });

    // The viewer opens it too: everyone sees both (a viewer's role may not intervene, but it views).
    const from = sup.frames.length;
    viewer.send({ type: "watch", session_ids: [s.id] });
    await presenceOf(sup, s.id, ["sup_dana", "view_sam"], from);
    // Two sockets of the same user count once.
    const sup2 = await connectAs(tg, tg.tokens.supervisor, { watch: [s.id] });
    await presenceOf(sup2, s.id, ["sup_dana", "view_sam"]);
    sup2.close();

    // Closing the transcript (watch set without it), then the socket.
    const from2 = viewer.frames.length;
    sup.send({ type: "watch", session_ids: [] });
    await presenceOf(viewer, s.id, ["view_sam"], from2);
    sup.send({ type: "watch", session_ids: [s.id] });
    await presenceOf(viewer, s.id, ["view_sam", "sup_dana"], from2);
    const from3 = viewer.frames.length;
    sup.close();
    await presenceOf(viewer, s.id, ["view_sam"], from3);
    viewer.close();
    // Ephemeral: no numbered event came of it.
    expect(org.state.log.lastSeq()).toBe(seq);
    expect(sup.errors).toEqual([]);
  });

  it("a silent co-browser is visible to admins only", async () => {
    const s = sim.spawn({ auto: false });
    const sup = await connectAs(tg, tg.tokens.supervisor, { watch: [s.id] });
    const admin = await connectAs(tg, tg.tokens.admin, { watch: [s.id] });
    await presenceOf(sup, s.id, ["sup_dana", "adm_riley"]);
    const fromSup = sup.frames.length;
    const fromAdmin = admin.frames.length;
    admin.send({
      type: "command",
      cmd_id: randomUUID(),
      action: "cobrowse_start",
      session_id: s.id,
      reason: "Quality check",
      payload: {},
    });
    await admin.waitFor((f) => f.type === "ack", 5000, fromAdmin);
    // The supervisor no longer sees the admin; the admin sees itself marked silent.
    await presenceOf(sup, s.id, ["sup_dana"], fromSup);
    await presenceOf(admin, s.id, ["sup_dana", "adm_riley(silent)"], fromAdmin);
    // Nothing in the supervisor's frames names the silent co-browser after that.
    const later = sup.frames.slice(fromSup).filter((f) => f.type === "presence" && f.session_id === s.id);
    expect(JSON.stringify(later)).not.toContain("adm_riley");
    sup.close();
    admin.close();
    expect(admin.errors).toEqual([]);
  });
});
