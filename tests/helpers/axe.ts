/**
 * Runs axe-core in a page of the built extension. The extension's CSP refuses
 * inline <script>, so the source goes in through the DevTools protocol:
 * Playwright's `page.evaluate(string)` is CDP `Runtime.evaluate`, which the
 * page's CSP does not govern.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
  summary: string;
}

/** Every violation of any impact axe finds in the page (or under `selector`). */
export async function runAxe(page: Page, selector?: string): Promise<AxeFinding[]> {
  const injected = await page.evaluate("typeof window.axe === 'object'");
  if (!injected) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (ctx) => {
    type Node = { target: unknown[]; failureSummary?: string };
    type Violation = { id: string; impact: string | null; help: string; nodes: Node[] };
    const axe = (
      window as unknown as {
        axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> };
      }
    ).axe;
    const res = await axe.run(ctx ?? document, { resultTypes: ["violations"] });
    return res.violations.flatMap((v) =>
      v.nodes.map((n) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: n.target.map(String),
        summary: (n.failureSummary ?? "").split("\n").slice(0, 3).join(" "),
      })),
    );
  }, selector ?? null);
}

/** One line per finding, for an assertion message a human can act on. */
export function describeFindings(findings: readonly AxeFinding[]): string {
  return findings.map((f) => `${f.id} (${f.impact}) ${f.targets.join(" ")}: ${f.summary}`).join("\n");
}
