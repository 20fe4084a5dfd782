/**
 * Presence (issue 12) with two side panels in real Chromium — two browsers
 * with the extension, a supervisor's and an admin's — on the same session of
 * the reference gateway: each sees the other on the session's card and in the
 * conversation; once the admin co-browses silently, the supervisor no longer
 * sees the admin (silent co-browsers are shown to admins only).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSession } from "../helpers/gateway";
import { type PanelSession, startPanelSession, E2E_TIMEOUT as TIMEOUT } from "../helpers/panel-session";

describe("presence with two panels on the same session", () => {
  let supervisor: PanelSession;
  let admin: PanelSession;
  let sup: Page;
  let adm: Page;

  beforeAll(async () => {
    supervisor = await startPanelSession();
    admin = await startPanelSession({ shareGateway: supervisor.tg, role: "admin" });
    ({ page: sup } = supervisor);
    ({ page: adm } = admin);
  });
  afterAll(async () => {
    await admin?.close();
    await supervisor?.close();
  });

  it("each panel shows the other viewer; a silent co-browser disappears for the supervisor", async () => {
    const s = spawnSession(supervisor.tg, { maxTurns: 50, agentId: "agt_support", channel: "web" });
    s.userMessage("Hello, I have a question about my invoice.");

    // The supervisor opens the conversation: the admin's card shows it.
    await supervisor.openConversation(s.id);
    const admCardTag = adm.locator(`[data-session-id="${s.id}"] .presence-tag`);
    await admCardTag.getByText("Dana Supervisor").waitFor({ timeout: TIMEOUT });
    expect(await admCardTag.getAttribute("data-viewers")).toBe("sup_dana");
    // Nobody else yet for the supervisor (its own presence is not shown).
    expect(await sup.locator(".conversation .presence-tag").count()).toBe(0);

    // The admin opens it too: each conversation names the other.
    await admin.openConversation(s.id);
    await sup
      .locator(".conversation .presence-tag")
      .getByText("Also viewing: Riley Admin")
      .waitFor({ timeout: TIMEOUT });
    await adm
      .locator(".conversation .presence-tag")
      .getByText("Also viewing: Dana Supervisor")
      .waitFor({ timeout: TIMEOUT });

    // The admin starts silent co-browsing: the supervisor no longer sees the admin.
    await adm.locator(".iv-control-cobrowse").click();
    await adm.getByRole("dialog").waitFor({ timeout: TIMEOUT });
    await adm.locator("#iv-reason").fill("Quality review of this conversation");
    await adm.locator("#iv-reason").press("Enter");
    await sup.locator(".conversation .presence-tag").waitFor({ state: "detached", timeout: TIMEOUT });
    // The admin still sees the supervisor.
    expect(await adm.locator(".conversation .presence-tag").textContent()).toContain("Dana Supervisor");

    // The supervisor leaves the conversation: the admin's view says nobody else is there.
    await sup.locator(".back-button").click();
    await adm.locator(".conversation .presence-tag").waitFor({ state: "detached", timeout: TIMEOUT });
  });
});
