/**
 * Message markdown in the built extension, in real Chromium, at 320 px: an
 * agent reply with a wide table (it scrolls sideways inside its bubble, by
 * keyboard too), a task list and fenced code whose Copy button puts the code
 * on the clipboard; an override, a supervisor reply and a whisper formatted
 * by the same renderer (no raw stars).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haltTraffic, orgOf } from "../faults/kit";
import { spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession, E2E_TIMEOUT as TIMEOUT } from "../helpers/panel-session";

const REPLY = [
  "Here are **all** the plans:",
  "",
  "| Plan | Monthly price | Annual price | Support | Seats | Storage | Notes |",
  "|---|--:|--:|---|--:|--:|---|",
  "| Basic | 5 € | 50 € | Email only | 1 | 10 GB | Good for trying it out |",
  "| Professional | 12 € | 120 € | Email and chat | 5 | 100 GB | Most customers pick this one |",
  "",
  "- [x] Refund sent",
  "- [ ] Label",
  "  - print it",
  "",
  "```python",
  "print('refund issued')",
  "```",
].join("\n");

describe("message markdown in the real panel", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;
  let sid = "";

  beforeAll(async () => {
    e2e = await startPanelSession({
      page: { width: 320 },
      async beforeOpen(tg, ext) {
        // For reading the clipboard back; writing needs only the click (a user gesture).
        await ext.context.grantPermissions(["clipboard-read", "clipboard-write"]);
        haltTraffic(tg);
        sid = spawnSession(tg, { auto: false, maxTurns: 0 }).id;
      },
    });
    ({ tg, page } = e2e);
    await page.locator(`[data-session-id="${sid}"]`).first().click({ timeout: TIMEOUT });
    await page.locator(".messages").waitFor({ timeout: TIMEOUT });
  });
  afterAll(() => e2e?.close());

  const emit = (kind: "message_sent" | "message_received", m: Record<string, unknown>) =>
    orgOf(tg).org.state.emit(kind, sid, { ts: new Date().toISOString(), ...m });

  it("shows a wide table scrolling inside its bubble, a task list and code with a working Copy button", async () => {
    emit("message_sent", { id: "msg_md_reply", role: "agent", format: "markdown", text: REPLY });
    const body = page.locator('[data-message-id="msg_md_reply"] .message-body');
    const region = body.locator("section.md-table-wrap");
    await region.waitFor({ timeout: TIMEOUT });
    expect(await region.getAttribute("aria-label")).toBe(
      "Table: Plan, Monthly price, Annual price, Support, Seats, Storage, Notes",
    );
    const fit = await page.evaluate(() => {
      const bubble = document.querySelector('[data-message-id="msg_md_reply"]') as HTMLElement;
      const wrap = bubble.querySelector(".md-table-wrap") as HTMLElement;
      const list = document.querySelector(".messages") as HTMLElement;
      return {
        scrolls: wrap.scrollWidth > wrap.clientWidth,
        bubbleRight: bubble.getBoundingClientRect().right,
        wrapRight: wrap.getBoundingClientRect().right,
        listRight: list.getBoundingClientRect().right,
        pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });
    expect(fit.scrolls).toBe(true);
    expect(fit.wrapRight).toBeLessThanOrEqual(fit.bubbleRight);
    expect(fit.bubbleRight).toBeLessThanOrEqual(fit.listRight);
    expect(fit.pageOverflow).toBe(0);
    // The keyboard reaches the table and scrolls it.
    await region.focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(
      () => (document.querySelector('[data-message-id="msg_md_reply"] .md-table-wrap')?.scrollLeft ?? 0) > 0,
      null,
      { timeout: TIMEOUT },
    );

    expect(
      await body.locator("li.md-task .md-task-box").evaluateAll((els) => els.map((e) => e.ariaLabel)),
    ).toEqual(["Done:", "To do:"]);
    expect(await body.locator("ul ul li").textContent()).toBe("print it");

    expect(await body.locator(".md-code-lang").textContent()).toBe("python");
    const copy = body.getByRole("button", { name: "Copy python code" });
    await copy.focus();
    await page.keyboard.press("Enter");
    await body.getByRole("button", { name: "Copied" }).waitFor({ timeout: TIMEOUT });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("print('refund issued')");
  });

  it("formats an override, a supervisor reply and a whisper with the same renderer", async () => {
    const text = "**Sorry** for the wait — see `REF-12`.";
    emit("message_sent", { id: "msg_md_override", role: "agent", format: "text", overridden: true, text });
    emit("message_sent", { id: "msg_md_human", role: "supervisor", format: "text", text });
    emit("message_sent", { id: "msg_md_whisper", role: "system", format: "text", whisper: true, text });
    for (const id of ["msg_md_override", "msg_md_human", "msg_md_whisper"]) {
      const message = page.locator(`[data-message-id="${id}"]`);
      await message.waitFor({ timeout: TIMEOUT });
      expect(await message.locator(".md strong").textContent(), id).toBe("Sorry");
      expect(await message.locator(".md code").textContent(), id).toBe("REF-12");
      expect(await message.textContent(), id).not.toContain("**");
    }
  });
});
