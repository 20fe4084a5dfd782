/**
 * Runs axe-core in an extension page. The extension's CSP refuses inline and
 * injected <script> tags, so axe's source is evaluated through the DevTools
 * protocol (Playwright's `page.evaluate`), which the CSP does not govern.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** The violations (any impact) axe finds inside `selector`. */
export async function axeViolations(page: Page, selector: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (include) => {
    const axe = (
      window as unknown as { axe: { run: (c: unknown) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run({ include: [include] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, selector);
}
