/**
 * Whisper (issue 12) through the side panel in real Chromium, with the real
 * background worker and the reference gateway whose simulated agents run as
 * an agent runtime: the supervisor whispers an instruction with a reason; the
 * transcript shows it as a whisper (labelled, never as the card's preview);
 * the runtime applies it and the agent's next reply follows it; the audit log
 * holds it with its reason.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Intervention, Message, Session } from "../../utils/protocol";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { spawnSession, startTestGateway, type TestGateway } from "../helpers/gateway";
import { openPanelPage } from "../helpers/panel-page";

const TIMEOUT = 20_000;
const INSTRUCTION = "Offer the 20 % retention discount";
const REASON = "The customer is about to cancel";

describe("whisper through the side panel", () => {
  let tg: TestGateway;
  let ext: LoadedExtension;
  let page: Page;

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${tg.url}${path}`, {
      headers: { authorization: `Bearer ${tg.tokens.supervisor}` },
    });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const sessionOf = (id: string) => get<{ session: Session; messages: Message[] }>(`/v1/sessions/${id}`);
  /** Polls a condition (no fixed sleeps): resolves with its first truthy value. */
  const until = async <T>(what: string, fn: () => Promise<T | null | undefined | false>): Promise<T> => {
    const end = Date.now() + TIMEOUT;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const agentReplies = async (id: string) =>
    (await sessionOf(id)).messages.filter((m) => m.role === "agent" && m.text !== "");

  beforeAll(async () => {
    tg = await startTestGateway({ simulate: false, tokensPerSecond: 40, heartbeatMs: 2000 });
    ext = await launchExtension();
    page = await openPanelPage(ext, { url: tg.url, token: tg.tokens.supervisor });
  });
  afterAll(async () => {
    await ext?.close();
    await tg?.stop();
  });

  it("a whisper is shown to the supervisor only as a whisper, and the agent's next reply follows it", async () => {
    const s = spawnSession(tg, { maxTurns: 50, agentId: "agt_support", channel: "web" });
    s.userMessage("I think I will cancel my subscription.");
    await until("the agent's first reply", async () => (await agentReplies(s.id)).length >= 1);

    await page.locator(`[data-session-id="${s.id}"]`).click({ timeout: TIMEOUT });
    await page.locator(`.conversation[data-session-id="${s.id}"]`).waitFor({ timeout: TIMEOUT });
    await page.locator(".transcript-loading").waitFor({ state: "detached", timeout: TIMEOUT });
    const control = page.locator(".iv-control-whisper");
    expect(await control.getAttribute("aria-keyshortcuts")).toBe("Alt+W");
    expect(await control.getAttribute("title")).toContain("the user never sees it");

    // From the keyboard, as a supervisor would.
    await control.focus();
    await page.keyboard.press("Alt+KeyW");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: TIMEOUT });
    expect(await dialog.getAttribute("data-action")).toBe("whisper");
    await page.locator("#iv-text").fill(INSTRUCTION);
    await page.locator("#iv-reason").fill(REASON);
    await page.locator("#iv-reason").press("Enter");
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });

    // The whisper in the transcript, set apart and labelled.
    const whisper = page.locator('.messages .message-whisper[data-whisper="true"]');
    await whisper.waitFor({ timeout: TIMEOUT });
    expect(await whisper.locator(".whisper-label").textContent()).toBe("Whisper — not shown to the user");
    expect(await whisper.locator(".whisper-text").textContent()).toBe(INSTRUCTION);
    // The status line: accepted, then applied by the agent runtime.
    const status = page.locator('.iv-status-item[data-action="whisper"]').first();
    await until("the agent's answer", async () => {
      const t = (await status.textContent()) ?? "";
      return t.includes("applied by the agent") && t;
    });

    // The agent's next reply follows the instruction, in the panel and at the gateway.
    const before = (await agentReplies(s.id)).length;
    s.userMessage("So, can you do anything for me?");
    const reply = await until("the reply after the whisper", async () => {
      const r = await agentReplies(s.id);
      return r.length > before && r.at(-1);
    });
    expect(reply.text).toContain("I can offer you the 20 % retention discount");
    await page
      .locator(`.messages [data-message-id="${reply.id}"]`)
      .getByText("I can offer you the 20 % retention discount", { exact: false })
      .waitFor({ timeout: TIMEOUT });

    // Never the card's preview (the list shows what the user and agent said).
    const r = await sessionOf(s.id);
    expect(r.session.preview).not.toContain(INSTRUCTION);
    expect(r.messages.filter((m) => m.whisper)).toMatchObject([
      { role: "system", text: INSTRUCTION, whisper: true },
    ]);
    // Audited with its reason.
    const audit = (await get<{ interventions: Intervention[] }>(`/v1/interventions?session_id=${s.id}`))
      .interventions;
    expect(audit.map((i) => [i.type, i.reason, i.admin_id, i.payload])).toEqual([
      ["whisper", REASON, "sup_dana", { text: INSTRUCTION }],
    ]);
  });
});
