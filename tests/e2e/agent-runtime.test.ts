/**
 * A real agent runtime end to end: the example runtime (agent-client)
 * publishes over /v1/agent to the real gateway, and a supervisor works in the
 * built extension in real Chromium. Its conversation appears in the panel, its
 * reply streams token by token, and pause / override / transfer from the
 * panel are applied by the runtime and shown as acknowledged by it.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  answerFor,
  createExampleRuntime,
  createFakeLlm,
  type ExampleRuntime,
  type WebSocketCtor,
} from "../../agent-client/index.ts";
import { DEMO_AGENT_TOKEN } from "../helpers/agent-socket";
import type { TestGateway } from "../helpers/gateway";
import { clickCard, type PanelSession, startPanelSession } from "../helpers/panel-session";

const TIMEOUT = 20_000;
/** How long an intervention waits for an offline runtime here (the default is 30 s). */
const OFFLINE_DEADLINE_MS = 4000;

describe("an agent runtime seen and steered from the side panel", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;
  let runtime: ExampleRuntime;

  /** Fills the open dialog, submits it, and waits until the agent runtime acknowledged it in the status line. */
  const submit = async (action: string, fields: { text?: string; target?: string; reason: string }) => {
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: TIMEOUT });
    expect(await dialog.getAttribute("data-action")).toBe(action);
    if (fields.text !== undefined) await page.locator("#iv-text").fill(fields.text);
    if (fields.target !== undefined) await page.locator("#iv-target").selectOption(fields.target);
    await page.locator("#iv-reason").fill(fields.reason);
    await page.locator("#iv-reason").press("Enter");
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
  };
  const acknowledged = async (action: string) => {
    const item = page.locator(`.iv-status-item[data-action="${action}"][data-agent="applied"]`).first();
    await item.waitFor({ timeout: TIMEOUT });
    expect(await item.textContent()).toContain("applied by the agent");
  };

  beforeAll(async () => {
    e2e = await startPanelSession({ gateway: { agentCommandTimeoutMs: OFFLINE_DEADLINE_MS } });
    ({ tg, page } = e2e);
    runtime = createExampleRuntime({
      url: tg.url,
      token: DEMO_AGENT_TOKEN,
      runtimeId: "e2e",
      WebSocket: WebSocket as unknown as WebSocketCtor,
      llm: createFakeLlm({ tokensPerSecond: 6 }),
    });
  });
  afterAll(async () => {
    runtime?.close();
    await e2e?.close();
  });

  it("shows the runtime's conversation and its streaming reply; pause, override and transfer are applied by it", async () => {
    const sid = runtime.start({ id: "usr_erin", name: "Erin Example" });
    const card = page.locator(`[data-session-id="${sid}"]`);
    await card.waitFor({ timeout: TIMEOUT });
    await card.locator(".agent-name").filter({ hasText: "Example Agent" }).waitFor({ timeout: TIMEOUT });
    await clickCard(card);
    await page.locator(`.conversation[data-session-id="${sid}"]`).waitFor({ timeout: TIMEOUT });
    await page.locator(".iv-toolbar").waitFor({ timeout: TIMEOUT });

    // The reply streams into the panel, then lands whole.
    const question = "Where is my order?";
    const replied = runtime.userSays(sid, question);
    await page.locator(".messages").getByText(question).waitFor({ timeout: TIMEOUT });
    await page.locator('.transcript[data-stream-state="streaming"]').waitFor({ timeout: TIMEOUT });
    const streamed = (await page.locator(".streaming-reply").getAttribute("data-message-id")) ?? "";
    expect(streamed).not.toBe("");
    await replied;
    await page.locator(`.messages [data-message-id="${streamed}"]`).waitFor({ timeout: TIMEOUT });
    const full = (await e2e.sessionOf(sid)).messages.find((m) => m.id === streamed);
    expect(full?.text).toBe(answerFor(question));

    // Pause: the runtime stops answering and says it applied it.
    await page.locator(".iv-control-pause").click();
    await submit("pause", { reason: "Checking the order history first" });
    await acknowledged("pause");
    expect(runtime.isPaused(sid)).toBe(true);
    await runtime.userSays(sid, "Hello? Anyone?");
    await page.locator(".messages").getByText("Hello? Anyone?").waitFor({ timeout: TIMEOUT });
    const paused = await e2e.sessionOf(sid);
    expect(paused.session.status).toBe("paused");
    const pausedAt = paused.messages.findIndex((m) => m.system_kind === "paused");
    expect(paused.messages.slice(pausedAt).some((m) => m.role === "agent")).toBe(false);

    // Resume: the runtime answers the pending question; override replaces that reply while it streams.
    await page.locator(".iv-control-pause[data-action='resume']").click();
    await submit("resume", { reason: "History checked" });
    await acknowledged("resume");
    await page.locator('.transcript[data-stream-state="streaming"]').waitFor({ timeout: TIMEOUT });
    const replaced = (await page.locator(".streaming-reply").getAttribute("data-message-id")) ?? "";
    await page.locator(".iv-control-override").click();
    const text = "A supervisor here: your order arrives tomorrow before noon.";
    await submit("override", { text, reason: "Give the exact delivery window" });
    await acknowledged("override");
    await page
      .locator(`.messages [data-message-id="${replaced}"]`)
      .getByText(text)
      .waitFor({ timeout: TIMEOUT });
    const after = await e2e.until("the overriding reply", async () => {
      const r = await e2e.sessionOf(sid);
      return r.messages.find((m) => m.id === replaced) ? r : null;
    });
    expect(after.messages.filter((m) => m.id === replaced)).toEqual([
      expect.objectContaining({ role: "agent", text, overridden: true }),
    ]);

    // Transfer to the human queue: the runtime hands the conversation off and ends it.
    await page.locator(".iv-control-transfer").click();
    await submit("transfer", { target: "human", reason: "The customer wants a person" });
    await e2e.until("the hand-off", async () => (await e2e.sessionOf(sid)).session.status === "ended");
    const ended = await e2e.sessionOf(sid);
    expect(ended.messages.some((m) => m.system_kind === "handoff_initiated")).toBe(true);
    // The acknowledgement is in the activity feed (the conversation left the live list).
    if ((await page.locator(".back-button").count()) > 0) await page.locator(".back-button").click();
    await page.getByRole("tab", { name: "Activity" }).click({ timeout: TIMEOUT });
    await page.locator(".activity").getByText("Transfer applied by the agent").waitFor({ timeout: TIMEOUT });
  }, 180_000);

  it("a runtime gone offline: the panel says the pause was not applied, and why", async () => {
    const gone = createExampleRuntime({
      url: tg.url,
      token: DEMO_AGENT_TOKEN,
      runtimeId: "e2e-offline",
      WebSocket: WebSocket as unknown as WebSocketCtor,
    });
    const sid = gone.start({ id: "usr_olga", name: "Olga Offline" });
    await gone.client.idle();
    if ((await page.locator(".back-button").count()) > 0) await page.locator(".back-button").click();
    await page.getByRole("tab", { name: "Sessions" }).click({ timeout: TIMEOUT });
    await page.locator(`[data-session-id="${sid}"]`).click({ timeout: TIMEOUT });
    await page.locator(".iv-toolbar").waitFor({ timeout: TIMEOUT });
    expect(tg.gateway.agents.online("org_demo", "rt_demo/e2e-offline")).toBe(true);
    gone.close();
    await e2e.until(
      "the gateway to see the runtime go",
      async () => !tg.gateway.agents.online("org_demo", "rt_demo/e2e-offline"),
    );
    await page.locator(".iv-control-pause").click();
    await submit("pause", { reason: "Holding while we check" });
    const item = page.locator('.iv-status-item[data-action="pause"][data-agent="failed"]').first();
    await item.waitFor({ timeout: TIMEOUT + OFFLINE_DEADLINE_MS });
    expect(await item.textContent()).toContain("the agent runtime stayed offline, so nothing was applied");
    expect(await item.getByRole("button", { name: "Retry" }).count()).toBe(0);
    expect((await e2e.sessionOf(sid)).session.status).toBe("active");
  }, 120_000);
});
