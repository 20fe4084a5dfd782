/**
 * Item 12: XSS payloads delivered as live messages (user text, agent
 * markdown, and a session preview) and rendered by the built extension in
 * real Chromium. The extension page's CSP would stop inline scripts anyway,
 * so the test does not rely on it: it counts script executions (a trap the
 * payloads would call, CSP violation reports) and also inspects the DOM the
 * panel built — no dangerous element, no event-handler attribute, no
 * javascript:/data: URL anywhere in the conversation or the list.
 */

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XSS } from "../fixtures/xss";
import { type LoadedExtension, launchExtension } from "../helpers/extension";
import { spawnSession, startTestGateway, type TestGateway } from "../helpers/gateway";
import { openPanelPage } from "../helpers/panel-page";
import { recordFigure } from "./figures";
import { haltTraffic, orgOf } from "./kit";

let tg: TestGateway;
let ext: LoadedExtension;

beforeAll(async () => {
  tg = await startTestGateway({ simulate: false });
  ext = await launchExtension();
});
afterAll(async () => {
  await ext?.close();
  await tg?.stop();
});

/** The payloads, each also calling the trap if it ever runs. */
const PAYLOADS = XSS.map((p) => p.replaceAll("alert(1)", "__xssTrap(1)"));

interface DomFindings {
  executions: number;
  cspViolations: number;
  dangerousElements: string[];
  handlerAttributes: string[];
  unsafeUrls: string[];
  messagesShown: number;
}

async function inspect(page: Page): Promise<DomFindings> {
  return page.evaluate(() => {
    const w = globalThis as unknown as { __xssHits: number; __cspViolations: number };
    const dangerous =
      "script, iframe, object, embed, form, meta, base, link, style, svg, math, img, video, audio, source, template, noscript, input, details, body";
    const scope = [...document.querySelectorAll(".messages, .session-list, .conversation-header")];
    const dangerousElements: string[] = [];
    const handlerAttributes: string[] = [];
    const unsafeUrls: string[] = [];
    for (const root of scope) {
      // The panel's own icons are SVGs outside message content; payload content lives in message bodies and previews.
      for (const el of root.querySelectorAll(".message-body *, .system-text *, .card-preview *"))
        if (el.matches(dangerous)) dangerousElements.push(el.tagName);
      for (const el of root.querySelectorAll("*")) {
        for (const name of el.getAttributeNames()) {
          const value = el.getAttribute(name) ?? "";
          if (name.startsWith("on")) handlerAttributes.push(`${el.tagName} ${name}`);
          if (
            /^(href|src|action|formaction|xlink:href|data)$/.test(name) &&
            /^\s*(javascript|data|vbscript):/i.test(value)
          )
            unsafeUrls.push(`${el.tagName} ${name}=${value.slice(0, 40)}`);
        }
      }
    }
    return {
      executions: w.__xssHits,
      cspViolations: w.__cspViolations,
      dangerousElements,
      handlerAttributes,
      unsafeUrls,
      messagesShown: document.querySelectorAll(".messages .message").length,
    };
  });
}

/**
 * Waits for the newest payload, then opens the whole transcript: only the newest messages are rendered
 * until "Show earlier messages" is pressed, and every payload must be in the DOM to be inspected.
 */
async function showAll(page: Page, lastId: string, expected: number): Promise<void> {
  await page.locator(`.messages [data-message-id="${lastId}"]`).waitFor();
  const earlier = page.locator(".show-earlier");
  while ((await earlier.count()) > 0) {
    const label = await earlier.textContent();
    await earlier.click();
    // Each press renders more (or all, and the button goes): wait for that before the next.
    await page.waitForFunction((was) => document.querySelector(".show-earlier")?.textContent !== was, label);
  }
  await page.waitForFunction(
    (want) => document.querySelectorAll(".messages .message").length >= want,
    expected,
  );
}

describe("XSS delivered as live messages to the real panel (item 12)", () => {
  it("runs no script and leaves no javascript:/data: URL, handler or dangerous element", async () => {
    const { org } = orgOf(tg);
    haltTraffic(tg);
    const sim = spawnSession(tg, { auto: false, maxTurns: 0 });
    const sid = sim.id;
    const page = await openPanelPage(
      ext,
      { url: tg.url, token: tg.tokens.supervisor },
      {
        prepare: async (p) => {
          await p.addInitScript(() => {
            const w = globalThis as unknown as {
              __xssHits: number;
              __xssTrap: () => void;
              __cspViolations: number;
            };
            w.__xssHits = 0;
            w.__cspViolations = 0;
            w.__xssTrap = () => {
              w.__xssHits++;
            };
            for (const name of ["alert", "confirm", "prompt"] as const)
              (globalThis as unknown as Record<string, () => void>)[name] = () => {
                w.__xssHits++;
              };
            document.addEventListener("securitypolicyviolation", () => {
              w.__cspViolations++;
            });
          });
        },
      },
    );
    // The only session: traffic was halted before it was spawned.
    await page.locator(".session-card").first().click();
    await page.locator(".messages").waitFor();

    const before = await page.locator(".messages .message").count();
    let n = 0;
    for (const text of PAYLOADS) {
      org.state.emit("message_received", sid, {
        id: `msg_xss_u${n}`,
        ts: new Date().toISOString(),
        role: "user",
        format: "text",
        text,
      });
      org.state.emit("message_sent", sid, {
        id: `msg_xss_a${n}`,
        ts: new Date().toISOString(),
        role: "agent",
        format: "markdown",
        text,
      });
      n++;
    }
    const expected = before + PAYLOADS.length * 2;
    const last = `msg_xss_a${PAYLOADS.length - 1}`;
    await showAll(page, last, expected);
    // The last payload is also the session's preview in the list: go back and look at the card too.
    await page.keyboard.press("Escape");
    await page.locator(".session-card").first().waitFor();
    const listFindings = await inspect(page);
    await page.locator(".session-card").first().click();
    await page.locator(".messages").waitFor();
    await showAll(page, last, expected);
    const f = await inspect(page);
    const executions = f.executions + listFindings.executions;
    const unsafe = [...f.unsafeUrls, ...listFindings.unsafeUrls];
    const handlers = [...f.handlerAttributes, ...listFindings.handlerAttributes];
    const elements = [...f.dangerousElements, ...listFindings.dangerousElements];
    recordFigure({
      item: 12,
      what: `${PAYLOADS.length} XSS payloads × (user text + agent markdown) + card preview, rendered in the real panel`,
      value: `${executions} script executions, ${f.cspViolations} CSP violations, ${unsafe.length} javascript:/data: URLs, ${handlers.length} handler attributes, ${elements.length} dangerous elements; ${f.messagesShown} messages shown`,
      target: "0 executions, 0 javascript: hrefs",
      ok: executions === 0 && unsafe.length === 0 && handlers.length === 0 && elements.length === 0,
    });
    expect(f.messagesShown).toBeGreaterThanOrEqual(expected);
    expect(executions).toBe(0);
    expect(f.cspViolations + listFindings.cspViolations).toBe(0);
    expect(unsafe).toEqual([]);
    expect(handlers).toEqual([]);
    expect(elements).toEqual([]);
    await page.close();
  }, 120_000);
});
