/**
 * The real side panel page in Chromium with 10,000 sessions, fed by a stand-in
 * worker (runtime.connect replaced before the page loads), so real layout and
 * scrolling are exercised: only visible rows exist, and while sessions keep
 * moving to the top during a scroll, the row under the viewport's top edge
 * stays put. Frame times are printed, not asserted (no timed assertions).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedExtension, launchExtension } from "../helpers/extension";

const N = 10_000;

describe("side panel with 10,000 sessions in Chromium", () => {
  let ext: LoadedExtension;
  let page: Page;

  beforeAll(async () => {
    ext = await launchExtension();
    page = await ext.context.newPage();
    await page.setViewportSize({ width: 400, height: 760 });
    await page.addInitScript((n: number) => {
      const T0 = Date.parse("2026-06-24T16:30:00.000Z");
      const channels = ["web", "phone", "telegram", "whatsapp", "mobile_sdk", "sip"];
      const session = (i: number, t: number) => ({
        id: `ses_${i}`,
        agent: {
          id: `agt_${i % 7}`,
          name: `Agent ${i % 7}`,
          color: ["#2563eb", "#16a34a", "#9333ea"][i % 3],
        },
        channel: channels[i % 6],
        user: { id: `usr_${i}`, name: `User ${i}` },
        priority: i % 50 === 0 ? "urgent" : i % 13 === 0 ? "high" : "normal",
        status: ["active", "thinking", "streaming", "paused"][i % 4],
        started_at: new Date(T0 - 600_000).toISOString(),
        last_activity_at: new Date(t).toISOString(),
        preview: `Message number ${i} about an order that has not arrived yet`,
        message_count: i % 20,
      });
      const sessions = Array.from({ length: n }, (_, i) => session(i, T0 + i));
      const listeners: ((m: unknown) => void)[] = [];
      const w = window as unknown as Record<string, unknown>;
      w.__posted = [];
      w.__emit = (m: unknown) => {
        for (const l of listeners) l(m);
      };
      w.__session = session;
      w.__initAt = 0;
      const port = {
        name: "live-conversations-panel",
        postMessage(m: unknown) {
          (w.__posted as unknown[]).push(m);
        },
        disconnect() {},
        onMessage: { addListener: (f: (m: unknown) => void) => listeners.push(f), removeListener() {} },
        onDisconnect: { addListener() {}, removeListener() {} },
      };
      const state = {
        connection: { state: "connected", latency_ms: 12, since: Date.now() },
        user: null,
        sessions,
        agents: [],
        metrics: {
          active_sessions: n,
          started_last_hour: 812,
          avg_response_ms: 900,
          intervention_rate: 0.01,
        },
        activity: [],
        counters: {
          events_applied: 0,
          duplicates_dropped: 0,
          gaps: 0,
          resyncs: 0,
          frames_rejected: 0,
          reconnects: 0,
        },
        transcripts: [],
      };
      Object.defineProperty(chrome.runtime, "connect", {
        configurable: true,
        value: () => {
          setTimeout(() => {
            w.__initAt = performance.now();
            (w.__emit as (m: unknown) => void)({ type: "init", state });
          }, 0);
          return port;
        },
      });
    }, N);
    await page.goto(`chrome-extension://${ext.id}/sidepanel.html`);
    await page.locator("[data-session-id]").first().waitFor({ timeout: 20_000 });
  });
  afterAll(async () => {
    await ext?.close();
  });

  it("renders only the visible rows and stays anchored while sessions move during a scroll", async () => {
    const firstPaint = await page.evaluate(
      () => performance.now() - (window as unknown as { __initAt: number }).__initAt,
    );
    const rows = await page.locator("[data-session-id]").count();
    expect(rows).toBeGreaterThan(3);
    expect(rows).toBeLessThan(40);
    expect(await page.locator(".tab .count").textContent()).toBe(String(N));

    const result = await page.evaluate(async () => {
      type W = { __emit(m: unknown): void; __session(i: number, t: number): unknown };
      const w = window as unknown as W;
      const list = document.querySelector<HTMLElement>('[role="listbox"]');
      if (!list) throw new Error("no list");
      const longTasks: number[] = [];
      const po = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      po.observe({ type: "longtask", buffered: false });
      const stamps: number[] = [];
      const frame = () =>
        new Promise<number>((r) =>
          requestAnimationFrame((t) => {
            stamps.push(t);
            r(t);
          }),
        );
      const topRow = () => {
        const top = list.getBoundingClientRect().top;
        let best: { id: string; y: number } | null = null;
        for (const el of list.querySelectorAll<HTMLElement>("[data-session-id]")) {
          const y = el.getBoundingClientRect().top - top;
          if (y >= -1 && (!best || y < best.y)) best = { id: el.dataset.sessionId ?? "", y };
        }
        return best;
      };
      let jumps = 0;
      let moved = 0;
      await frame();
      let t = Date.parse("2026-06-24T17:00:00.000Z");
      for (let f = 0; f < 60; f++) {
        list.scrollTop += 240;
        await frame();
        // Five sessions far below get activity and move to the top (above the viewport).
        const before = topRow();
        const upserts = [];
        for (let k = 0; k < 5; k++) {
          t += 1;
          upserts.push(w.__session(9_000 - ((f * 5 + k) % 8_000), t));
        }
        w.__emit({ type: "patch", patch: { upserts } });
        await frame();
        await frame();
        const after = topRow();
        if (before && after && (before.id !== after.id || Math.abs(before.y - after.y) > 1)) jumps++;
        moved += 5;
      }
      po.disconnect();
      const gaps = stamps.slice(1).map((t, i) => t - (stamps[i] ?? t));
      gaps.sort((a, b) => a - b);
      return {
        frames: gaps.length,
        medianMs: gaps[Math.floor(gaps.length / 2)] ?? 0,
        p95Ms: gaps[Math.floor(gaps.length * 0.95)] ?? 0,
        over20: gaps.filter((g) => g > 20).length,
        longTasks: longTasks.length,
        longestTaskMs: Math.max(0, ...longTasks),
        jumps,
        moved,
        rendered: list.querySelectorAll("[data-session-id]").length,
        scrollTop: list.scrollTop,
      };
    });
    console.info(
      `10k sessions in Chromium: first rows ${firstPaint.toFixed(0)} ms after init; ${rows} rows in the DOM; ` +
        `scroll+patch loop: ${result.frames} frames, frame interval median ${result.medianMs.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms, ${result.over20} over 20 ms; ` +
        `long tasks (>50 ms) ${result.longTasks}, longest ${result.longestTaskMs.toFixed(0)} ms; ` +
        `${result.moved} sessions moved to the top, jumps of the top row: ${result.jumps}`,
    );
    expect(result.jumps).toBe(0);
    expect(result.rendered).toBeLessThan(40);
    expect(result.scrollTop).toBeGreaterThan(0);
  });

  it("moves with the keyboard and opens a conversation with Enter", async () => {
    const list = page.locator('[role="listbox"]');
    await list.focus();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    const active = await list.getAttribute("aria-activedescendant");
    expect(active).toMatch(/^session-option-ses_\d+$/);
    await page.keyboard.press("Enter");
    await page.locator(".conversation").waitFor({ timeout: 10_000 });
    const watched = await page.evaluate(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted
        .filter((m) => m.type === "watch")
        .at(-1),
    );
    expect(watched).toEqual({ type: "watch", session_ids: [active?.replace("session-option-", "")] });
    await page.keyboard.press("Escape");
    await list.waitFor({ timeout: 10_000 });
    expect(await list.getAttribute("aria-activedescendant")).toBe(active);
  });
});
