/**
 * The Firefox package in a real Firefox ESR, against the real gateway: `web-ext lint` finds 0 errors in the
 * build that `npm run zip` packs; Firefox loads it (temporary add-on, fixed moz-extension UUID), its options
 * page saves the gateway URL and token and its connection test says "Connected", and its sidebar, opened in
 * the browser window, shows the live sessions (read from the options tab through `extension.getViews`).
 * A missing Firefox is a failure (`.ci/run` installs firefox-esr), not a skip.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FIREFOX,
  FIREFOX_EXTENSION_DIR,
  FIREFOX_ORIGIN,
  type LoadedFirefox,
  launchFirefox,
} from "../helpers/firefox";
import { startTestGateway, type TestGateway } from "../helpers/gateway";
import { until } from "../helpers/until";

const WEB_EXT = resolve(import.meta.dirname, "../../node_modules/.bin/web-ext");

let tg: TestGateway;
let ff: LoadedFirefox | undefined;

beforeAll(async () => {
  if (!existsSync(FIREFOX))
    throw new Error(`${FIREFOX} is missing: apt-get install -y firefox-esr (.ci/run installs it)`);
  tg = await startTestGateway({ sessions: 4, newPerMinute: 0, allowOrigins: [FIREFOX_ORIGIN] });
}, 30_000);

afterAll(async () => {
  await ff?.close();
  await tg?.stop();
});

const activeIds = () =>
  tg.gateway
    .snapshot(tg.gateway.options.users.find((u) => u.token === tg.tokens.supervisor)?.org_id ?? "")
    .sessions.filter((s) => s.status !== "ended")
    .map((s) => s.id)
    .sort();

async function type(selector: string, text: string) {
  const m = ff?.marionette;
  if (!m) throw new Error("no firefox");
  const el = await m.send<{ value: Record<string, string> }>("WebDriver:FindElement", {
    using: "css selector",
    value: selector,
  });
  const id = Object.values(el.value)[0];
  await m.send("WebDriver:ElementClear", { id });
  await m.send("WebDriver:ElementSendKeys", { id, text });
}

async function clickButton(label: string) {
  await ff?.marionette.execute(
    `const b = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === arguments[0]);
     if (!b) throw new Error("no button " + arguments[0]);
     b.click();`,
    [label],
  );
}

describe("Firefox, really", () => {
  it("web-ext lint: the Firefox package has 0 errors", async () => {
    const manifest = JSON.parse(readFileSync(join(FIREFOX_EXTENSION_DIR, "manifest.json"), "utf8"));
    expect(manifest.sidebar_action?.default_panel).toBe("sidepanel.html");
    const { stdout } = await promisify(execFile)(
      WEB_EXT,
      ["lint", "--source-dir", FIREFOX_EXTENSION_DIR, "--output", "json", "--no-config-discovery"],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }));
    const report = JSON.parse(stdout) as {
      summary: { errors: number };
      errors: { code: string; message: string }[];
    };
    expect(report.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  }, 120_000);

  it("loads in Firefox ESR, is configured from its options page, and its sidebar shows the live sessions", async () => {
    ff = await launchFirefox();
    const f = ff;
    await f.openExtensionPage("options.html");
    await type("#gateway-url", tg.url);
    await type("#token", tg.tokens.supervisor);
    await clickButton("Save");
    await f.waitFor(`return document.body.textContent.includes("Saved.");`, 10_000, "settings saved");
    await clickButton("Test connection");
    const tested = await f.waitFor<string>(
      `const t = document.querySelector("[aria-label='Connection test result']")?.textContent ?? "";
       return t.startsWith("Connected") || /:/.test(t) ? t : null;`,
      30_000,
      "the connection test's answer",
    );
    expect(tested).toMatch(/^Connected as .+: REST and live stream both work/);

    await f.openSidebar();
    await f.waitForSidebar(
      `return sidebar?.document.querySelector(".connection[data-state='connected']") != null;`,
      30_000,
      "the sidebar connected",
    );
    // The cards are exactly the gateway's active sessions (read both until they agree: sessions may end meanwhile).
    const cards = () =>
      f.marionette.execute<string[]>(
        `const sidebar = browser.extension.getViews({ type: "sidebar" })[0];
         return [...sidebar.document.querySelectorAll(".session-card[data-session-id]")].map((c) => c.dataset.sessionId);`,
      );
    const { shown, expected } = await until(
      "the sidebar's cards to be the gateway's active sessions",
      async () => {
        const seen = { shown: (await cards()).sort(), expected: activeIds() };
        if (seen.shown.length > 0 && JSON.stringify(seen.shown) === JSON.stringify(seen.expected))
          return seen;
        throw new Error(`cards ${JSON.stringify(seen.shown)}, active ${JSON.stringify(seen.expected)}`);
      },
      30_000,
      100,
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(expected);

    // The worker's badge title, set through Firefox's browserAction (utils/platform/browser-apis.ts), counts them too.
    const badgeTitle = async () =>
      (
        await f.marionette.send<{ value: string }>("WebDriver:ExecuteAsyncScript", {
          script: `const done = arguments[arguments.length - 1];
            browser.browserAction.getTitle({}).then(done, (e) => done("error: " + e));`,
          args: [],
        })
      ).value;
    const { title, active } = await until(
      "the badge title to count the active sessions",
      async () => {
        const seen = { title: await badgeTitle(), active: activeIds().length };
        if (seen.title.endsWith(`, ${seen.active} active in total`)) return seen;
        throw new Error(`title ${JSON.stringify(seen.title)}, ${seen.active} active`);
      },
      30_000,
      100,
    );
    expect(title).toMatch(new RegExp(`^Live Conversations — .*, ${active} active in total$`));
    console.log(`[firefox] ${shown.length} live session cards in Firefox ESR's sidebar`);
  }, 180_000);
});
