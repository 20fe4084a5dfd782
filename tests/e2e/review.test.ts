/**
 * Review mode (issue 12) through the side panel in real Chromium, with the
 * real background worker and the reference gateway whose simulated agents run
 * as an agent runtime: the supervisor switches "Review replies" on with a
 * reason; each reply then waits in the transcript marked "Awaiting approval";
 * one draft is approved, one edited, one rejected with a reason (the agent
 * writes a new one). The transcript the gateway keeps — what the user side
 * gets — holds only the approved and the edited reply; every action is audited
 * with its reason.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Intervention } from "../../utils/protocol";
import { spawnSession, type TestGateway } from "../helpers/gateway";
import { type PanelSession, startPanelSession } from "../helpers/panel-session";

const TIMEOUT = 20_000;
const REASON = "New refund prompt under review";
const EDITED = "Your refund of €20 was approved and reaches your card within 3 days.";
const REJECTION = "Do not promise a delivery date";
const EDIT_REASON = "Promise no delivery date";

describe("review mode through the side panel", () => {
  let e2e: PanelSession;
  let tg: TestGateway;
  let page: Page;

  const agentReplies = async (id: string) =>
    (await e2e.sessionOf(id)).messages.filter((m) => m.role === "agent").map((m) => m.text);

  beforeAll(async () => {
    e2e = await startPanelSession();
    ({ tg, page } = e2e);
  });
  afterAll(() => e2e?.close());

  /** The one draft waiting in the panel (after the user said something): its id and text. */
  const nextDraft = async (notId?: string) => {
    const draft = page.locator(notId ? `.draft:not([data-draft-id="${notId}"])` : ".draft").first();
    await draft.waitFor({ timeout: TIMEOUT });
    expect(await draft.locator(".draft-label").textContent()).toBe("Awaiting approval");
    expect(await draft.locator(".draft-wait time").count()).toBe(1);
    return {
      draft,
      id: (await draft.getAttribute("data-draft-id")) ?? "",
      text: (await draft.locator(".draft-text").textContent()) ?? "",
    };
  };

  it("approved, edited and rejected drafts: the user side gets only what was approved or edited", async () => {
    const s = spawnSession(tg, { maxTurns: 50, agentId: "agt_support", channel: "web" });
    await e2e.openConversation(s.id);

    // "Review replies" on, with a reason.
    const toggle = page.locator(".iv-control-review");
    expect(await toggle.getAttribute("aria-keyshortcuts")).toBe("Alt+V");
    expect(await toggle.getAttribute("data-pressed")).toBeNull();
    await toggle.click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor({ timeout: TIMEOUT });
    expect(await dialog.getAttribute("data-action")).toBe("review_mode");
    await page.locator("#iv-reason").fill(REASON);
    await page.locator("#iv-reason").press("Enter");
    await dialog.waitFor({ state: "detached", timeout: TIMEOUT });
    await e2e.until(
      "review mode on at the gateway",
      async () => (await e2e.sessionOf(s.id)).session.review?.enabled,
    );
    await page.locator('.iv-control-review[data-pressed="true"]').waitFor({ timeout: TIMEOUT });

    // 1. Approved as written.
    s.userMessage("Where is my refund?");
    const first = await nextDraft();
    expect(await agentReplies(s.id)).toEqual([]);
    await first.draft.getByRole("button", { name: "Approve" }).click();
    await e2e.until("the approved reply", async () => (await agentReplies(s.id)).length === 1);
    expect(await agentReplies(s.id)).toEqual([first.text]);
    await page
      .locator(`.draft[data-draft-id="${first.id}"]`)
      .waitFor({ state: "detached", timeout: TIMEOUT });

    // 2. Edited: the user gets the edited text.
    s.userMessage("How long will it take?");
    const second = await nextDraft(first.id);
    await second.draft.getByRole("button", { name: "Edit" }).click();
    const box = second.draft.locator("textarea.draft-edit");
    expect(await box.inputValue()).toBe(second.text);
    await box.fill(EDITED);
    // The edit asks for the supervisor's reason (audited as "Edit draft" with both texts).
    await second.draft.getByRole("button", { name: "Send edited reply" }).click();
    await second.draft
      .getByRole("alert")
      .filter({ hasText: "reason for the edit" })
      .waitFor({ timeout: TIMEOUT });
    await second.draft.getByRole("textbox", { name: "Why edit it (audited)" }).fill(EDIT_REASON);
    await second.draft.getByRole("button", { name: "Send edited reply" }).click();
    await e2e.until("the edited reply", async () => (await agentReplies(s.id)).length === 2);
    await page.locator(".messages").getByText(EDITED, { exact: false }).waitFor({ timeout: TIMEOUT });

    // 3. Rejected with a reason: the agent writes another draft; nothing reaches the user.
    s.userMessage("And when does my parcel arrive?");
    const third = await nextDraft(second.id);
    await third.draft.getByRole("button", { name: "Reject" }).click();
    await third.draft.locator(".draft-reason").fill(REJECTION);
    await third.draft.getByRole("button", { name: "Reject draft" }).click();
    const retry = await nextDraft(third.id);
    expect(retry.text).toMatch(/^Let me put that another way\. /);
    expect(retry.text).not.toBe(third.text);

    // The user side: only the approved and the edited reply.
    expect(await agentReplies(s.id)).toEqual([first.text, EDITED]);
    const all = JSON.stringify((await e2e.sessionOf(s.id)).messages);
    expect(all).not.toContain(third.text);
    expect(all).not.toContain(retry.text);

    // Every action audited with its reason.
    const audit = (await e2e.get<{ interventions: Intervention[] }>(`/v1/interventions?session_id=${s.id}`))
      .interventions;
    expect(audit.map((i) => [i.type, i.reason, i.payload])).toEqual([
      ["review_mode", REASON, { enabled: true }],
      ["approve_draft", "Approved in review", { draft_id: first.id }],
      ["approve_draft", EDIT_REASON, { draft_id: second.id, text: EDITED, original_text: second.text }],
      ["reject_draft", REJECTION, { draft_id: third.id }],
    ]);
    // The panel's log names the edit as such, with the reason and both texts.
    await page.locator(".iv-log-toggle").click();
    const edit = page.locator("#iv-session-log .iv-log-item", { hasText: "Edit draft" });
    await edit.waitFor({ timeout: TIMEOUT });
    expect(await edit.locator(".iv-log-reason").textContent()).toBe(`Reason: ${EDIT_REASON}`);
    const detail = (await edit.locator(".iv-log-detail").textContent()) ?? "";
    expect(detail).toContain(`→ “${EDITED}”`);
    expect(detail).toContain(second.text.slice(0, 40));
  });
});
