/**
 * Take-over (issue 12) in real Chromium against the reference gateway, whose
 * simulated agents run as an agent runtime: the panel's supervisor takes the
 * conversation over; a second supervisor (a gateway client over ws) is
 * refused with the holder named; the card and the conversation show the
 * holder; the supervisor's reply reaches the transcript with role
 * `supervisor` while the agent stays silent; after the hand-back the agent
 * replies again, picking up from the supervisor. Every step audited.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Intervention } from "../../utils/protocol";
import { connectAs, spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";

const TIMEOUT = 20_000;
const REASON = "The customer needs a human for the order change";

describe("take over through the side panel", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;

  const openConversation = async (id: string) => {
    await e2e.openConversation(id);
    await page.locator(".iv-toolbar").waitFor({ timeout: TIMEOUT });
  };
  /** Fills the open reason dialog, submits it and waits for the gateway's ack. */
  const submit = async (action: string, reason: string) => {
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: TIMEOUT });
    expect(await dialog.getAttribute("data-action")).toBe(action);
    await page.locator("#iv-reason").fill(reason);
    await page.locator("#iv-reason").press("Enter");
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    const item = page.locator(".iv-status-item").first();
    expect(await item.getAttribute("data-action")).toBe(action);
    const phase = await e2e.until("the gateway's answer", async () => {
      const p = await item.getAttribute("data-phase");
      return p !== "pending" && p;
    });
    expect(phase, (await item.textContent()) ?? "").toBe("succeeded");
  };

  beforeAll(async () => {
    e2e = await startPanelSession();
    ({ tg, page } = e2e);
  });
  afterAll(() => e2e?.close());

  it("take over, a second supervisor refused with the holder named, a human reply, hand back", async () => {
    const s = spawnSession(tg, { maxTurns: 50, agentId: "agt_support", channel: "web" });
    s.userMessage("I need to change the address on my order.");
    await e2e.until("the agent's first reply", async () =>
      (await e2e.sessionOf(s.id)).messages.some((m) => m.role === "agent" && m.text !== ""),
    );
    await openConversation(s.id);

    // Take over from the keyboard.
    const control = page.locator(".iv-control-takeover");
    expect(await control.getAttribute("data-action")).toBe("take_over");
    await control.focus();
    await page.keyboard.press("Alt+KeyH");
    await submit("take_over", REASON);
    const compose = page.locator(".iv-takeover-compose");
    await compose.waitFor({ timeout: TIMEOUT });
    await page.locator('.iv-control-takeover[data-action="hand_back"]').waitFor({ timeout: TIMEOUT });
    expect(await control.getAttribute("data-pressed")).toBe("true");

    // A second supervisor is refused, with the holder named.
    const other = await connectAs(tg, tg.tokens.admin);
    other.send({
      type: "command",
      cmd_id: crypto.randomUUID(),
      action: "take_over",
      session_id: s.id,
      reason: "I want this one too",
      payload: {},
    });
    const refused = await other.waitFor((f) => f.type === "command_error", TIMEOUT);
    other.close();
    expect(refused).toMatchObject({
      code: "CONFLICT",
      holder: { id: "sup_dana", name: "Dana Supervisor" },
    });
    expect((refused as { message: string }).message).toContain("Dana Supervisor");

    // The user speaks; the agent stays silent; the supervisor answers from the compose box.
    s.userMessage("Hello? Is anyone there?");
    await page.locator(".messages").getByText("Hello? Is anyone there?").waitFor({ timeout: TIMEOUT });
    const text = "Hi, this is Dana from the support team — I have changed the address for you.";
    await page.locator("#iv-takeover-text").fill(text);
    await page.locator("#iv-takeover-text").press("Enter");
    const human = page.locator('.messages [data-role="supervisor"]');
    await human.getByText(text).waitFor({ timeout: TIMEOUT });
    const held = await e2e.sessionOf(s.id);
    expect(held.session.taken_over_by).toMatchObject({ id: "sup_dana", name: "Dana Supervisor" });
    const tookAt = held.messages.findIndex((m) => m.role === "user" && m.text === "Hello? Is anyone there?");
    expect(held.messages.slice(tookAt).some((m) => m.role === "agent")).toBe(false);

    // The card names the holder.
    await page.locator(".back-button").click();
    await page
      .locator(`[data-session-id="${s.id}"] .takeover-tag`)
      .getByText("Dana Supervisor", { exact: false })
      .waitFor({ timeout: TIMEOUT });
    await openConversation(s.id);

    // Hand back: the agent replies again, with the supervisor's words in its context.
    await page.locator('.iv-control-takeover[data-action="hand_back"]').click();
    await submit("hand_back", "Address changed, the agent can continue");
    await compose.waitFor({ state: "detached", timeout: TIMEOUT });
    const resumed = await e2e.until("the agent's reply after the hand-back", async () => {
      const r = await e2e.sessionOf(s.id);
      const last = r.messages.filter((m) => m.role === "agent").at(-1);
      return last?.text.includes("Following up on what my colleague said") && last;
    });
    expect(resumed.text).toContain("I have changed the address for you");
    await page
      .locator(`.messages [data-message-id="${resumed.id}"]`)
      .getByText("Following up on what my colleague said", { exact: false })
      .waitFor({ timeout: TIMEOUT });
    expect((await e2e.sessionOf(s.id)).session.taken_over_by).toBeNull();

    // Every step audited with its reason (the reply with the take-over's).
    const audit = (await e2e.get<{ interventions: Intervention[] }>(`/v1/interventions?session_id=${s.id}`))
      .interventions;
    expect(audit.map((i) => [i.type, i.reason, i.admin_id])).toEqual([
      ["take_over", REASON, "sup_dana"],
      ["takeover_reply", REASON, "sup_dana"],
      ["hand_back", "Address changed, the agent can continue", "sup_dana"],
    ]);
  });
});
