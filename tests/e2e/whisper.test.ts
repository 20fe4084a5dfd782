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
import type { Intervention } from "../../utils/protocol";
import { spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";

const TIMEOUT = 20_000;
const INSTRUCTION = "Offer the 20 % retention discount";
const REASON = "The customer is about to cancel";

describe("whisper through the side panel", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;

  const agentReplies = async (id: string) =>
    (await e2e.sessionOf(id)).messages.filter((m) => m.role === "agent" && m.text !== "");

  beforeAll(async () => {
    e2e = await startPanelSession();
    ({ tg, page } = e2e);
  });
  afterAll(() => e2e?.close());

  it("a whisper is shown to the supervisor only as a whisper, and the agent's next reply follows it", async () => {
    const s = spawnSession(tg, { maxTurns: 50, agentId: "agt_support", channel: "web" });
    s.userMessage("I think I will cancel my subscription.");
    await e2e.until("the agent's first reply", async () => (await agentReplies(s.id)).length >= 1);

    await e2e.openConversation(s.id);
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
    await e2e.until("the agent's answer", async () => {
      const t = (await status.textContent()) ?? "";
      return t.includes("applied by the agent") && t;
    });

    // The agent's next reply follows the instruction, in the panel and at the gateway.
    const before = (await agentReplies(s.id)).length;
    s.userMessage("So, can you do anything for me?");
    const reply = await e2e.until("the reply after the whisper", async () => {
      const r = await agentReplies(s.id);
      return r.length > before && r.at(-1);
    });
    expect(reply.text).toContain("I can offer you the 20 % retention discount");
    await page
      .locator(`.messages [data-message-id="${reply.id}"]`)
      .getByText("I can offer you the 20 % retention discount", { exact: false })
      .waitFor({ timeout: TIMEOUT });

    // Never the card's preview (the list shows what the user and agent said).
    const r = await e2e.sessionOf(s.id);
    expect(r.session.preview).not.toContain(INSTRUCTION);
    expect(r.messages.filter((m) => m.whisper)).toMatchObject([
      { role: "system", text: INSTRUCTION, whisper: true },
    ]);
    // Audited with its reason.
    const audit = (await e2e.get<{ interventions: Intervention[] }>(`/v1/interventions?session_id=${s.id}`))
      .interventions;
    expect(audit.map((i) => [i.type, i.reason, i.admin_id, i.payload])).toEqual([
      ["whisper", REASON, "sup_dana", { text: INSTRUCTION }],
    ]);
  });
});
