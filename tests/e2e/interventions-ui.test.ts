/**
 * The six interventions performed through the side panel in real Chromium,
 * with the real background worker and the real reference gateway; each
 * effect and its audit record are checked through the gateway's HTTP API.
 * Also: a viewer sees no controls and a forged command from it is refused;
 * a command whose ack is lost to a dropped connection is applied once.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimSession } from "../../gateway/sim/sim-session";
import type { SpawnOptions } from "../../gateway/sim/simulation";
import type { Intervention } from "../../utils/protocol";
import type { LoadedExtension } from "../helpers/extension";
import { spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession, E2E_TIMEOUT as TIMEOUT } from "../helpers/panel-session";

describe("interventions through the side panel", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let ext: LoadedExtension;
  let page: Page;

  const spawn = (opts: SpawnOptions = {}): SimSession =>
    spawnSession(tg, { maxTurns: 50, agentId: "agt_support", channel: "web", ...opts });
  const auditOf = async (id: string) =>
    (await e2e.get<{ interventions: Intervention[] }>(`/v1/interventions?session_id=${id}`)).interventions;

  /** Opens a conversation (back to the list first if one is open) with its intervention toolbar. */
  const openConversation = async (id: string) => {
    if ((await page.locator(".conversation").count()) > 0) {
      await page.locator(".back-button").click();
    }
    await e2e.openConversation(id);
    await page.locator(".iv-toolbar").waitFor({ timeout: TIMEOUT });
  };
  /** Fills the open dialog and submits it with Enter; resolves when the gateway acked. */
  const submit = async (action: string, fields: { text?: string; target?: string; reason: string }) => {
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: TIMEOUT });
    expect(await dialog.getAttribute("data-action")).toBe(action);
    if (fields.text !== undefined) await page.locator("#iv-text").fill(fields.text);
    if (fields.target !== undefined) await page.locator("#iv-target").selectOption(fields.target);
    await page.locator("#iv-reason").fill(fields.reason);
    await page.locator("#iv-reason").press("Enter");
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    // The newest status line is this command's: wait for its answer.
    const item = page.locator(".iv-status-item").first();
    expect(await item.getAttribute("data-action")).toBe(action);
    const phase = await e2e.until("the gateway's answer", async () => {
      const p = await item.getAttribute("data-phase");
      return p !== "pending" && p;
    });
    expect(phase, (await item.textContent()) ?? "").toBe("succeeded");
  };

  beforeAll(async () => {
    e2e = await startPanelSession({
      gateway: { tokensPerSecond: 6, commandBurst: 50, commandsPerMinute: 600 },
    });
    ({ tg, ext, page } = e2e);
  });
  afterAll(() => e2e?.close());

  it("pause holds the agent until resume (Alt+P), each audited with its reason", async () => {
    const s = spawn();
    await openConversation(s.id);
    const toolbar = page.getByRole("toolbar", { name: "Interventions" });
    expect(await toolbar.locator("button").count()).toBe(8);
    expect(await page.locator(".iv-control-pause").getAttribute("aria-keyshortcuts")).toBe("Alt+P");

    await page.locator(".iv-control-pause").click();
    await submit("pause", { reason: "Checking the order history first" });
    await e2e.until("paused", async () => (await e2e.sessionOf(s.id)).session.status === "paused");
    s.userMessage("Hello? Is anyone there?");
    await page.locator(".messages").getByText("Hello? Is anyone there?").waitFor({ timeout: TIMEOUT });
    expect(s.replyId).toBeNull(); // no reply started while paused
    const paused = await e2e.sessionOf(s.id);
    const pausedAt = paused.messages.findIndex((m) => m.system_kind === "paused");
    expect(pausedAt).toBeGreaterThanOrEqual(0);
    expect(paused.messages.slice(pausedAt).some((m) => m.role === "agent")).toBe(false);

    // Resume from the keyboard; the toolbar now offers Resume.
    await page.locator(".iv-control-pause[data-action='resume']").waitFor({ timeout: TIMEOUT });
    await page.locator(".iv-control-pause").focus();
    await page.keyboard.press("Alt+KeyP");
    await submit("resume", { reason: "Order history checked" });
    const after = await e2e.until("an agent reply after resume", async () => {
      const r = await e2e.sessionOf(s.id);
      const resumedAt = r.messages.findIndex((m) => m.system_kind === "resumed");
      return resumedAt >= 0 && r.messages.slice(resumedAt).some((m) => m.role === "agent") ? r : null;
    });
    const resumedAt = after.messages.findIndex((m) => m.system_kind === "resumed");
    expect(after.messages.slice(pausedAt, resumedAt).some((m) => m.role === "agent")).toBe(false);

    const audit = await auditOf(s.id);
    expect(audit.map((i) => [i.type, i.reason])).toEqual([
      ["pause", "Checking the order history first"],
      ["resume", "Order history checked"],
    ]);
    for (const i of audit) expect(i.admin_id).toBe("sup_dana");
  });

  it("override replaces the streaming reply; the discarded reply never shows", async () => {
    const s = spawn();
    await openConversation(s.id);
    s.userMessage("Can I change my delivery address?");
    const bubble = page.locator(".streaming-reply");
    await page.locator('.transcript[data-stream-state="streaming"]').waitFor({ timeout: TIMEOUT });
    const replaced = (await bubble.getAttribute("data-message-id")) ?? "";
    expect(replaced).not.toBe("");
    await page.locator(".iv-control-override").focus();
    await page.keyboard.press("Alt+KeyO");
    expect(await page.locator(".iv-override-target").getAttribute("data-target")).toBe("current");
    const text = "Yes — I have updated the delivery address for you.";
    await submit("override", { text, reason: "The bot was quoting an outdated policy" });
    const final = page.locator(`.messages [data-message-id="${replaced}"]`);
    await final.getByText(text).waitFor({ timeout: TIMEOUT });
    expect(await bubble.count()).toBe(0);
    const r = await e2e.sessionOf(s.id);
    const sent = r.messages.filter((m) => m.id === replaced);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ role: "agent", text, overridden: true });
    // Only the override is on screen for that reply.
    expect(((await final.textContent()) ?? "").includes(text)).toBe(true);
    expect(await page.locator(".messages [data-message-id]").filter({ hasText: text }).count()).toBe(1);
    const audit = await auditOf(s.id);
    expect(audit.map((i) => [i.type, i.reason, i.payload])).toEqual([
      ["override", "The bot was quoting an outdated policy", { text }],
    ]);
  });

  it("system message, transfer and co-browse", async () => {
    const s = spawn();
    await openConversation(s.id);
    // System message (Alt+M): visible in the transcript.
    await page.locator(".iv-control-message").focus();
    await page.keyboard.press("Alt+KeyM");
    const notice = "A specialist will join you in a moment.";
    await submit("system_message", { text: notice, reason: "Setting expectations" });
    await page.locator(".messages").getByText(notice).waitFor({ timeout: TIMEOUT });
    expect((await e2e.sessionOf(s.id)).messages.some((m) => m.role === "system" && m.text === notice)).toBe(
      true,
    );

    // Co-browse: logged, indicator on, nothing shown to the session.
    const before = (await e2e.sessionOf(s.id)).messages.length;
    await page.locator(".iv-control-cobrowse").click();
    await submit("cobrowse_start", { reason: "Quality review" });
    await page.locator('.iv-cobrowse[data-on="true"]').waitFor({ timeout: TIMEOUT });
    expect(await page.locator(".iv-control-cobrowse").getAttribute("data-action")).toBe("cobrowse_stop");
    await page.locator(".iv-control-cobrowse").click();
    await submit("cobrowse_stop", { reason: "Review done" });
    await page.locator('.iv-cobrowse[data-on="false"]').waitFor({ state: "attached", timeout: TIMEOUT });
    expect((await e2e.sessionOf(s.id)).messages.length).toBe(before);

    // Transfer (Alt+T) to another agent: the card shows the new agent.
    await page.locator(".iv-control-transfer").focus();
    await page.keyboard.press("Alt+KeyT");
    await submit("transfer", { target: "agt_billing", reason: "Billing question" });
    await e2e.until(
      "the transfer",
      async () => (await e2e.sessionOf(s.id)).session.agent.id === "agt_billing",
    );
    await page
      .locator(".conversation-meta .agent-name")
      .filter({ hasText: "Billing Agent" })
      .waitFor({ timeout: TIMEOUT });
    await page.locator(".back-button").click();
    await page
      .locator(`[data-session-id="${s.id}"] .agent-name`)
      .filter({ hasText: "Billing Agent" })
      .waitFor({ timeout: TIMEOUT });

    const audit = await auditOf(s.id);
    expect(audit.map((i) => [i.type, i.reason, i.payload])).toEqual([
      ["system_message", "Setting expectations", { text: notice }],
      ["cobrowse_start", "Quality review", {}],
      ["cobrowse_stop", "Review done", {}],
      ["transfer", "Billing question", { agent_id: "agt_billing" }],
    ]);

    // The per-session log lists them, newest first, from the live events.
    await openConversation(s.id);
    await page.locator(".iv-log-toggle").click();
    const items = page.locator("#iv-session-log .iv-log-item");
    await e2e.until("four log entries", async () => (await items.count()) === 4);
    expect(
      await items.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.interventionId)),
    ).toEqual(audit.map((i) => i.intervention_id).reverse());
    expect(await items.first().locator("time").getAttribute("datetime")).toBe(audit.at(-1)?.timestamp);
  });

  it("applies a command once when the connection drops before its ack", async () => {
    const s = spawn();
    await openConversation(s.id);
    const reason = "Ack lost on purpose";
    const audit = tg.gateway.audit;
    const append = audit.append;
    let drops = 0;
    audit.append = (fields) => {
      const record = append(fields);
      if (fields.reason === reason && drops === 0) {
        drops++;
        tg.gateway.closeAllSockets(4200, "test: dropped before the ack");
      }
      return record;
    };
    try {
      await page.locator(".iv-control-message").click();
      const text = "We are looking into this now.";
      await submit("system_message", { text, reason });
      expect(drops).toBe(1);
      const r = await e2e.sessionOf(s.id);
      expect(r.messages.filter((m) => m.text === text)).toHaveLength(1);
      const records = (await auditOf(s.id)).filter((i) => i.reason === reason);
      expect(records).toHaveLength(1);
      expect(await page.locator(".iv-status-item").first().textContent()).toContain(
        records[0]?.intervention_id,
      );
    } finally {
      audit.append = append;
    }
  });

  it("a command pending when the worker is stopped is sent again by the next worker and applied once", async () => {
    const s = spawn();
    await openConversation(s.id);
    const reason = "Ack lost, then the worker stopped";
    const audit = tg.gateway.audit;
    const append = audit.append;
    let dropped: () => void = () => {};
    const wasDropped = new Promise<void>((resolve) => {
      dropped = resolve;
    });
    let drops = 0;
    audit.append = (fields) => {
      const record = append(fields);
      if (fields.reason === reason && drops === 0) {
        drops++;
        // "Over capacity": the worker backs off (at least 0.5 s) instead of reconnecting at once.
        tg.gateway.closeAllSockets(4100, "test: over capacity before the ack");
        dropped();
      }
      return record;
    };
    const cdp = await ext.context.newCDPSession(page);
    const states: string[] = [];
    cdp.on("ServiceWorker.workerVersionUpdated", (e) => {
      for (const v of e.versions) states.push(v.runningStatus);
    });
    await cdp.send("ServiceWorker.enable");
    try {
      await page.locator(".iv-control-message").click();
      const text = "Thanks for waiting — checking now.";
      await page.locator("#iv-text").fill(text);
      await page.locator("#iv-reason").fill(reason);
      await page.locator("#iv-reason").press("Enter");
      await wasDropped;
      await cdp.send("ServiceWorker.stopAllWorkers");
      // Still waiting for its ack when the worker went away.
      expect(await page.locator(".iv-status-item").first().getAttribute("data-phase")).toBe("pending");
      await e2e.until("the worker stopped", async () => states.includes("stopped"));
      // The panel's port wakes a new worker, which restores its outbox from storage.session.
      const item = page.locator(".iv-status-item").first();
      const phase = await e2e.until("the gateway's answer", async () => {
        const p = await item.getAttribute("data-phase");
        return p !== "pending" && p;
      });
      expect(phase, (await item.textContent()) ?? "").toBe("succeeded");
      expect(states.at(-1)).toBe("running");
      const r = await e2e.sessionOf(s.id);
      expect(r.messages.filter((m) => m.text === text)).toHaveLength(1);
      const records = (await auditOf(s.id)).filter((i) => i.reason === reason);
      expect(records).toHaveLength(1);
      expect(await item.textContent()).toContain(records[0]?.intervention_id);
    } finally {
      audit.append = append;
      await cdp.detach();
    }
  });

  it("shows the gateway's refusal in words: a session that ended while the dialog was open", async () => {
    const s = spawn();
    await openConversation(s.id);
    await page.locator(".iv-control-pause").click();
    await page.locator("#iv-reason").fill("Too late for this one");
    s.end("resolved");
    await page.locator(".conversation-ended").waitFor({ timeout: TIMEOUT });
    await page.locator("#iv-reason").press("Enter");
    const item = page.locator(".iv-status-item").first();
    await page.locator('.iv-status-item[data-phase="failed"]').waitFor({ timeout: TIMEOUT });
    expect(await item.locator(".iv-status-text").textContent()).toBe(
      "Pause failed: Session has already ended",
    );
    expect(await auditOf(s.id)).toEqual([]);
  });

  it("a viewer sees no controls and a forged command from it is refused", async () => {
    const s = spawn();
    await page.evaluate(
      async ({ url, token }) => {
        await chrome.storage.local.set({ settings: { gatewayUrl: url, token } });
      },
      { url: tg.url, token: tg.tokens.viewer },
    );
    await page.reload();
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: TIMEOUT });
    await page.locator(`[data-session-id="${s.id}"]`).click({ timeout: TIMEOUT });
    await page.locator(`.conversation[data-session-id="${s.id}"]`).waitFor({ timeout: TIMEOUT });
    await page.locator(".iv-viewer-notice").waitFor({ timeout: TIMEOUT });
    expect(await page.locator(".iv-viewer-notice").count()).toBe(1);
    expect(await page.locator(".iv-toolbar, .iv-control").count()).toBe(0);
    await page.keyboard.press("Alt+KeyP");
    expect(await page.getByRole("dialog").count()).toBe(0);

    // Forged through the worker, as a tampered panel would.
    const status = await page.evaluate(
      (sessionId) =>
        new Promise<unknown>((resolve) => {
          const cmd_id = crypto.randomUUID();
          const port = chrome.runtime.connect({ name: "live-conversations-panel" });
          // The worker sends each message as one JSON string (docs/worker.md).
          port.onMessage.addListener((raw: unknown) => {
            const m = (typeof raw === "string" ? JSON.parse(raw) : raw) as {
              type: string;
              result?: { cmd_id: string; status: string };
            };
            if (m.type === "command_status" && m.result?.cmd_id === cmd_id && m.result.status !== "pending") {
              port.disconnect();
              resolve(m.result);
            }
          });
          port.postMessage({
            type: "command",
            cmd_id,
            action: "pause",
            session_id: sessionId,
            reason: "Forged",
          });
        }),
      s.id,
    );
    expect(status).toMatchObject({ status: "failed", code: "FORBIDDEN" });
    // And straight at the gateway.
    const res = await fetch(`${tg.url}/v1/commands`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tg.tokens.viewer}`,
        "content-type": "application/json",
        "idempotency-key": "0b7c8f5e-6a43-4d8e-9a51-3f1f0c2d9e10",
      },
      body: JSON.stringify({
        cmd_id: "0b7c8f5e-6a43-4d8e-9a51-3f1f0c2d9e10",
        action: "pause",
        session_id: s.id,
        reason: "Forged over HTTP",
      }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    const r = await e2e.sessionOf(s.id);
    expect(r.session.status).not.toBe("paused");
    expect(await auditOf(s.id)).toEqual([]);
  });
});
