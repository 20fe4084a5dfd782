/**
 * The side panel in real Chromium, fed by the real background worker from the
 * real reference gateway: sessions appear, a reply streams and completes with
 * the same text as the final message, an ended session leaves the list.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimSession } from "../../gateway/sim/sim-session";
import type { SpawnOptions } from "../../gateway/sim/simulation";
import { spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";

const TIMEOUT = 20_000;

describe("side panel against the reference gateway", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;
  const spawn = (opts: SpawnOptions = {}): SimSession => spawnSession(tg, { maxTurns: 20, ...opts });

  beforeAll(async () => {
    e2e = await startPanelSession({ gateway: { tokensPerSecond: 25 } });
    ({ tg, page } = e2e);
  });
  afterAll(() => e2e?.close());

  it("shows sessions as they start, with the connection and latency", async () => {
    const a = spawn({ channel: "whatsapp", priority: "urgent" });
    const b = spawn({ channel: "web" });
    await page.locator(`[data-session-id="${a.id}"]`).waitFor({ timeout: TIMEOUT });
    await page.locator(`[data-session-id="${b.id}"]`).waitFor({ timeout: TIMEOUT });
    const card = page.locator(`[data-session-id="${a.id}"]`);
    expect(await card.getAttribute("data-priority")).toBe("urgent");
    expect(await card.locator(".channel-label").textContent()).toBe("WhatsApp");
    expect(await card.locator(".elapsed").textContent()).toMatch(/^\d{1,2}:\d\d$/);
    await page
      .locator(".connection-latency")
      .filter({ hasText: /^\d+ ms$/ })
      .waitFor({ timeout: 30_000 });
  });

  it("streams a reply token by token and completes it with the final message's text", async () => {
    const s = spawn({ channel: "web" });
    await page.locator(`[data-session-id="${s.id}"]`).click({ timeout: TIMEOUT });
    await page.locator(`.conversation[data-session-id="${s.id}"]`).waitFor({ timeout: TIMEOUT });
    await page.locator(".transcript-loading").waitFor({ state: "detached", timeout: TIMEOUT });
    // Record every text the streaming bubble shows, per message id.
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      (window as unknown as { __streamed: typeof seen }).__streamed = seen;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll<HTMLElement>(".streaming-reply")) {
          const id = el.dataset.messageId ?? "";
          const text = el.querySelector(".message-body")?.textContent ?? "";
          const list = seen[id] ?? [];
          seen[id] = list;
          if (text && list.at(-1) !== text) list.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    s.userMessage("Where is my parcel? It was due on Monday.");
    await page.locator('.transcript[data-stream-state="streaming"]').waitFor({ timeout: TIMEOUT });
    await page.locator('.transcript[data-stream-state="complete"]').waitFor({ timeout: TIMEOUT });
    const finalEl = page.locator('.messages [data-stream-state="complete"]');
    const id = (await finalEl.getAttribute("data-message-id")) ?? "";
    const finalText = (await finalEl.locator(".message-body").textContent()) ?? "";
    const streamed = await page.evaluate(
      (mid) => (window as unknown as { __streamed: Record<string, string[]> }).__streamed[mid] ?? [],
      id,
    );
    // What the gateway says the final message is.
    const res = await fetch(`${tg.url}/v1/sessions/${s.id}`, {
      headers: { authorization: `Bearer ${tg.tokens.supervisor}` },
    });
    const body = (await res.json()) as { messages: { id: string; text: string }[] };
    const raw = body.messages.find((m) => m.id === id)?.text ?? "";
    expect(raw.length).toBeGreaterThan(0);
    // Text as a reader sees it: markup characters, list markers, link targets and spaces left out.
    const seenText = (t: string) => t.replace(/[*_~`|\s]/g, "");
    const rawText = (t: string) =>
      seenText(
        t
          .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
          .replace(/^\s*(?:[-*+•]|\d+[.)])\s+/gm, "")
          .replace(/^\s*#{1,6}\s+/gm, "")
          .replace(/^\s*>\s?/gm, ""),
      );
    expect(seenText(finalText)).toBe(rawText(raw)); // completed with the final message's text
    expect(streamed.length).toBeGreaterThan(2); // it grew token by token
    for (let i = 1; i < streamed.length; i++)
      expect(seenText(streamed[i] ?? "").startsWith(seenText(streamed[i - 1] ?? ""))).toBe(true);
    expect(seenText(finalText).startsWith(seenText(streamed.at(-1) ?? ""))).toBe(true);
    expect(await page.locator(".streaming-reply").count()).toBe(0);
    await page.keyboard.press("Escape");
    await page.locator('[role="listbox"]').waitFor({ timeout: TIMEOUT });
  });

  it("removes an ended session from the list", async () => {
    const s = spawn({ channel: "telegram" });
    const card = page.locator(`[data-session-id="${s.id}"]`);
    await card.waitFor({ timeout: TIMEOUT });
    s.end("resolved");
    await card.waitFor({ state: "detached", timeout: TIMEOUT });
    await page.getByRole("tab", { name: /Activity/ }).click();
    await page.locator(".activity-entry", { hasText: "Session ended" }).first().waitFor({ timeout: TIMEOUT });
    await page.getByRole("tab", { name: /Sessions/ }).click();
  });
});
