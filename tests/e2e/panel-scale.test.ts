/**
 * The built extension — its worker and its side panel — in real Chromium
 * against a real gateway in load mode with 10,000 sessions (100,000 with
 * `LC_SCALE_SESSIONS=100000`). The worker takes the first snapshot; the panel
 * only ever sees the rows of the range it asks for. The list opens with only the
 * visible rows in the DOM; while sessions keep moving to the top during a scroll,
 * the row under the viewport's top edge stays put; the keyboard moves, Enter opens
 * the conversation, Escape comes back to the same row; scrolled to the very end,
 * the last rows become real sessions; and a keyword that only one session's
 * transcript holds (a session the panel never received) finds it.
 * Timings are printed, never asserted.
 */
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadGenerator } from "../../gateway/load/load";
import { connectAgent, publish, sessionData, userMessage } from "../helpers/agent-socket";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { pointAt } from "../helpers/panel-page";
import { E2E_TIMEOUT } from "../helpers/panel-session";
import { until } from "../helpers/until";

const N = Number(process.env.LC_SCALE_SESSIONS ?? 10_000);
/** Waits that grow with the org (the first snapshot, a range at the far end) allow 5 ms a session. */
const BIG_WAIT = E2E_TIMEOUT + 5 * N;
const ORG = "org_demo";
const NEEDLE_ID = "ses_scale_needle";
const KEYWORD = "quillfeather";

interface Row {
  id: string;
  y: number;
}

describe(`side panel with ${N.toLocaleString("en")} sessions: real worker, real gateway, Chromium`, () => {
  let tg: TestGateway;
  let load: LoadGenerator;
  let ext: LoadedExtension;
  let page: Page;
  let list: Locator;
  const cards = () => page.locator(".session-list [data-session-id]");
  /** Waits until the worker has applied everything the gateway has emitted so far. */
  const caughtUp = async () => {
    const target = tg.gateway.orgs.get(ORG)?.state.log.lastSeq() ?? 0;
    await until(
      `the worker to reach seq ${target}`,
      () =>
        ext.worker.evaluate(
          (t) =>
            ((globalThis as { __lc?: { stats(): { cursor: { seq: number } | null } | null } }).__lc?.stats()
              ?.cursor?.seq ?? 0) >= t,
          target,
        ),
      BIG_WAIT,
      50,
    );
  };
  /** The session of the list's active row. */
  const activeRow = async () => {
    const active = await until(
      "an active row",
      async () => (await list.getAttribute("aria-activedescendant")) ?? undefined,
      E2E_TIMEOUT,
      50,
    );
    expect(active).toMatch(/^session-option-ses_/);
    return active.replace("session-option-", "");
  };
  /** The conversation view of that session, its transcript fetched: the worker watches it. */
  const conversationOpen = async (id: string) => {
    await page.locator(`.conversation[data-session-id="${id}"]`).waitFor({ timeout: E2E_TIMEOUT });
    await page.locator(".transcript-loading").waitFor({ state: "detached", timeout: E2E_TIMEOUT });
  };

  beforeAll(async () => {
    // No traffic until the worker holds every session: the first snapshot alone is the big step.
    tg = await startTestGateway({ simulate: false, load: true, sessions: N, rate: 0, tokensPerSecond: 0 });
    const l = tg.gateway.loads.get(ORG);
    if (!l) throw new Error(`no load generator for ${ORG}`);
    load = l;
    ext = await launchExtension();
    const t0 = Date.now();
    await pointAt(ext, tg.url, tg.tokens.supervisor);
    await until(
      `the worker to hold ${N} sessions`,
      () =>
        ext.worker.evaluate(
          (n) =>
            ((globalThis as { __lc?: { stats(): { sessionCount: number } | null } }).__lc?.stats()
              ?.sessionCount ?? 0) >= n,
          N,
        ),
      BIG_WAIT,
      100,
    );
    console.info(`${N} sessions: gateway → the worker holds every session in ${Date.now() - t0} ms`);
    page = await ext.context.newPage();
    await page.setViewportSize({ width: 400, height: 760 });
    list = page.locator('[role="listbox"]');
  }, BIG_WAIT * 2);
  afterAll(async () => {
    await ext?.close();
    await tg?.stop();
  });

  it("opens with only the visible rows in the DOM", async () => {
    const t0 = Date.now();
    await page.goto(`chrome-extension://${ext.id}/sidepanel.html`);
    await cards().first().waitFor({ timeout: BIG_WAIT });
    const openMs = Date.now() - t0;
    await page
      .locator(".tab .count")
      .filter({ hasText: new RegExp(`^${N}$`) })
      .waitFor({ timeout: E2E_TIMEOUT });
    const rows = await cards().count();
    console.info(`${N} sessions: open → first rows ${openMs} ms; ${rows} cards in the DOM`);
    expect(rows).toBeGreaterThan(3);
    expect(rows).toBeLessThan(40);
  });

  it("keeps the row under the top edge in place while sessions move to the top during a scroll", async () => {
    // The load generator sends messages to ses_load000001, 000002, … in turn: each moves to the top from
    // just below the block of sessions already touched. Touch 600 first, so the 60 steps below (~150 rows)
    // stay inside that block and every later message moves a session from below the viewport to above it.
    load.burst(600);
    await caughtUp();
    load.setRate(50);
    const emittedBefore = load.emitted;
    const result = await list.evaluate(async (el: HTMLElement) => {
      const frame = () => new Promise<number>((r) => requestAnimationFrame(r));
      const cardsOf = () => el.querySelectorAll<HTMLElement>("[data-session-id]");
      const topRow = (): Row | null => {
        const top = el.getBoundingClientRect().top;
        let best: Row | null = null;
        for (const c of cardsOf()) {
          const y = c.getBoundingClientRect().top - top;
          if (y >= -1 && (!best || y < best.y)) best = { id: c.dataset.sessionId ?? "", y };
        }
        return best;
      };
      /** A real row at the top edge and no placeholder on screen. */
      const settled = () => {
        const box = el.getBoundingClientRect();
        const pending = [...el.querySelectorAll(".session-pending")].some((p) => {
          const r = p.getBoundingClientRect();
          return r.bottom > box.top && r.top < box.bottom;
        });
        return !pending && (topRow()?.y ?? Number.POSITIVE_INFINITY) < 96;
      };
      const jumps: string[] = [];
      const waits: number[] = [];
      const unsettled: number[] = [];
      let checked = 0;
      let maxRendered = 0;
      await frame();
      for (let f = 0; f < 60; f++) {
        el.scrollTop += 240;
        // Wait (frame by frame, up to 10 s) until the rows on screen have arrived, then watch the top one.
        const asked = performance.now();
        await frame();
        while (!settled() && performance.now() - asked < 10_000) await frame();
        if (settled()) waits.push(performance.now() - asked);
        else unsettled.push(f);
        const before = topRow();
        const scrollBefore = el.scrollTop;
        await frame();
        await frame();
        await frame();
        maxRendered = Math.max(maxRendered, cardsOf().length);
        if (!before) continue;
        checked++;
        const now = el.querySelector<HTMLElement>(`[data-session-id="${CSS.escape(before.id)}"]`);
        const y = now ? now.getBoundingClientRect().top - el.getBoundingClientRect().top : null;
        if (y === null || Math.abs(y - before.y) > 1)
          jumps.push(
            `step ${f}: ${before.id} at ${before.y.toFixed(0)} → ${y === null ? "gone" : y.toFixed(0)}, scrollTop ${scrollBefore} → ${el.scrollTop}, ${el.querySelectorAll(".session-pending").length} placeholders`,
          );
      }
      waits.sort((a, b) => a - b);
      return {
        jumps,
        checked,
        unsettled,
        waitP50: waits[Math.floor(waits.length / 2)] ?? 0,
        waitMax: waits.at(-1) ?? 0,
        maxRendered,
        scrollTop: el.scrollTop,
      };
    });
    const moved = load.emitted - emittedBefore;
    console.info(
      `${N} sessions: scroll of 60 steps, ${moved} sessions moved to the top meanwhile; top row checked ${result.checked} times, ` +
        `scroll step → rows on screen p50 ${result.waitP50.toFixed(0)} ms, max ${result.waitMax.toFixed(0)} ms, steps whose rows never came ${result.unsettled.length}; ` +
        `jumps ${result.jumps.length}${result.jumps.length ? ` (${result.jumps.slice(0, 5).join("; ")})` : ""}; at most ${result.maxRendered} cards in the DOM`,
    );
    expect(moved).toBeGreaterThan(0);
    expect(result.unsettled).toEqual([]);
    expect(result.checked).toBe(60);
    expect(result.jumps).toEqual([]);
    expect(result.maxRendered).toBeLessThan(40);
    expect(result.scrollTop).toBeGreaterThan(0);
  });

  it("moves with the keyboard, opens the active row's conversation with Enter, and Escape comes back to it", async () => {
    load.setRate(0);
    await caughtUp();
    await list.focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    // The second row of the list, wherever the list was scrolled before Home.
    await until(
      "the second row active after Home, ArrowDown",
      async () =>
        (await page.locator('.session-list [aria-selected="true"]').getAttribute("aria-posinset")) === "2",
      E2E_TIMEOUT,
      50,
    ).catch(async (e: Error) => {
      const seen = await page
        .locator('.session-list [aria-selected="true"]')
        .evaluateAll((els) =>
          els.map((el) => `${el.getAttribute("data-session-id")}@${el.getAttribute("aria-posinset")}`),
        );
      throw new Error(`${e.message}; active: ${seen.join(",") || "none rendered"}`);
    });
    const active = await activeRow();
    await page.keyboard.press("Enter");
    await conversationOpen(active);
    await page.keyboard.press("Escape");
    await list.waitFor({ timeout: E2E_TIMEOUT });
    expect(await list.getAttribute("aria-activedescendant")).toBe(`session-option-${active}`);
  });

  it("comes back with Escape to the same active row after 100 sessions moved above it meanwhile", async () => {
    await list.focus();
    const active = await activeRow();
    await page.keyboard.press("Enter");
    await conversationOpen(active);
    // While the conversation is open, 100 sessions from below the active row get a message (to the top).
    load.burst(100);
    await caughtUp();
    await page.keyboard.press("Escape");
    await list.waitFor({ timeout: E2E_TIMEOUT });
    await until(
      `the list to come back with ${active} active (its card rendered, as aria-activedescendant requires)`,
      async () =>
        (await list.getAttribute("aria-activedescendant")) === `session-option-${active}` &&
        (await page.locator(`.session-list [data-session-id="${active}"]`).isVisible()),
      E2E_TIMEOUT,
      50,
    ).catch(async (e: Error) => {
      const seen = await list.getAttribute("aria-activedescendant");
      const rendered = await cards().evaluateAll((els) =>
        els.map((el) => el.getAttribute("data-session-id")),
      );
      throw new Error(`${e.message}; aria-activedescendant ${seen}; cards ${rendered.join(",")}`);
    });
  });

  it("scrolls to the very end and the last rows become real sessions", async () => {
    load.setRate(50);
    const t0 = Date.now();
    await list.evaluate((el: HTMLElement) => {
      el.scrollTop = el.scrollHeight;
    });
    // The last row of the list (aria-posinset = the total) is a real card, and no placeholder is on screen.
    const last = page.locator(`.session-list [data-session-id][aria-posinset="${N}"]`);
    await last.waitFor({ timeout: BIG_WAIT });
    await until(
      "no placeholder on screen at the end of the list",
      () =>
        list.evaluate((el: HTMLElement) => {
          const box = el.getBoundingClientRect();
          return [...el.querySelectorAll(".session-pending")].every((p) => {
            const r = p.getBoundingClientRect();
            return r.bottom <= box.top || r.top >= box.bottom;
          });
        }),
      BIG_WAIT,
      50,
    );
    const endMs = Date.now() - t0;
    const onScreen = await list.evaluate((el: HTMLElement) => {
      const box = el.getBoundingClientRect();
      return [...el.querySelectorAll<HTMLElement>("[data-session-id]")].filter((c) => {
        const r = c.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom;
      }).length;
    });
    console.info(
      `${N} sessions: scroll to the end → real last rows ${endMs} ms (${onScreen} cards on screen)`,
    );
    expect(onScreen).toBeGreaterThan(3);
    expect(await cards().count()).toBeLessThan(40);
  });

  it("finds by keyword a session the panel never received", async () => {
    load.setRate(0);
    // A session of an agent runtime over /v1/agent: the keyword only in its first message, not its preview.
    const agent = await connectAgent(tg.port);
    try {
      for (const [kind, data] of [
        ["session_started", sessionData(NEEDLE_ID)],
        ["message_received", userMessage("msg_needle1", `My ${KEYWORD} pen leaks ink everywhere.`)],
        ["message_received", userMessage("msg_needle2", "Can you send a new one?")],
      ] as const)
        expect((await publish(agent, kind, NEEDLE_ID, data)).type).toBe("published");
    } finally {
      agent.close();
    }
    // It went to the top of the list; the panel sits at the end, so it has never had that row.
    expect(await page.locator(`[data-session-id="${NEEDLE_ID}"]`).count()).toBe(0);
    const toggle = page.locator(".filters-toggle");
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    const t0 = Date.now();
    await page.getByRole("searchbox", { name: "Search messages" }).fill(KEYWORD);
    const card = page.locator(`.session-list [data-session-id="${NEEDLE_ID}"]`);
    await card.waitFor({ timeout: BIG_WAIT });
    console.info(`${N} sessions: keyword → the one matching session on screen ${Date.now() - t0} ms`);
    await until(
      "only the matching session listed",
      async () => {
        const ids = await cards().evaluateAll((els) => els.map((e) => e.getAttribute("data-session-id")));
        return ids.length === 1 && ids[0] === NEEDLE_ID ? ids : undefined;
      },
      E2E_TIMEOUT,
      50,
    );
    // Why it matched, from the worker: the earlier message as a snippet with the term marked.
    expect(await card.locator(".flt-snippet mark.flt-hit").textContent()).toBe(KEYWORD);
  });
});
