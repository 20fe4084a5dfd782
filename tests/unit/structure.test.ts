/**
 * The house rules, read from the source tree (in the spirit of refined-github's
 * structure tests): each rule is a function over `{path → text}`, run on the
 * real tree and on a small made-up tree that breaks it, so a rule that can no
 * longer fail is noticed too.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

type Tree = ReadonlyMap<string, string>;

const ROOT = join(import.meta.dirname, "../..");
const SOURCE_ROOTS = ["utils", "components", "entrypoints", "gateway", "scripts", "agent-client"];

function readTree(): Tree {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(name)) files.set(path, readFileSync(join(ROOT, path), "utf8"));
    }
  };
  for (const r of SOURCE_ROOTS) walk(r);
  return files;
}

/** Text without comments (strings kept), so a rule reads code, not the words about it. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^;"'`]*?\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s+["']([^"']+)["']/g;
/(?:^|\n)\s*(?:import|export)\b[^;"'`]*?\bfrom\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The tree paths a file imports (aliases and relative paths resolved, extensions dropped). */
function imports(path: string, text: string): string[] {
  const out: string[] = [];
  for (const m of code(text).matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2] ?? m[3]) as string;
    let target: string;
    if (spec.startsWith("@/")) target = spec.slice(2);
    else if (spec.startsWith(".")) target = relative(ROOT, normalize(join(ROOT, dirname(path), spec)));
    else continue;
    out.push(target.replace(/\.(ts|tsx)$/, ""));
  }
  return out;
}

// ---- the rules: each returns its violations, in words ----

const PANEL_ENTRY = "entrypoints/sidepanel/";
const WORKER = ["utils/worker/", "utils/store/", "utils/connection/", "utils/attention/", "agent-client/"];

/** The file an import path names: the module itself, or the folder's index. */
function resolve(tree: Tree, target: string): string | undefined {
  return [`${target}.ts`, `${target}.tsx`, `${target}/index.ts`, `${target}/index.tsx`].find((p) =>
    tree.has(p),
  );
}

/**
 * The panel talks to the worker through the port contract only: nothing the side panel's entry reaches,
 * directly or through other files, is worker code. A worker room's `*-schema.ts` (the shapes it hands out,
 * which the contract composes) is not code the panel runs against: it may be reached, and what it imports
 * is judged in turn.
 */
function panelImportsWorker(tree: Tree): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = [...tree.keys()].filter((p) => p.startsWith(PANEL_ENTRY));
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (seen.has(path)) continue;
    seen.add(path);
    for (const t of imports(path, tree.get(path) ?? "")) {
      const file = resolve(tree, t);
      if (!file) continue;
      if (WORKER.some((w) => file.startsWith(w)) && !file.endsWith("-schema.ts"))
        out.push(`${path} imports ${file}`);
      else queue.push(file);
    }
  }
  return out;
}

/** The worker ↔ panel contract, and the layers below it that define the shapes it carries. */
const CONTRACT = "utils/panel-messages";
const BELOW_CONTRACT = [
  "utils/store/",
  "utils/activity/",
  "utils/attention/",
  "utils/connection/",
  "utils/alerts/",
  "utils/metrics-history/",
  "utils/protocol/",
  "utils/query/",
  "utils/filters/",
];

/** The contract is composed from the lower layers' schemas; they never take their types from it. */
function lowerLayersImportContract(tree: Tree): string[] {
  const out: string[] = [];
  for (const [path, text] of tree) {
    if (!BELOW_CONTRACT.some((l) => path.startsWith(l))) continue;
    for (const t of imports(path, text))
      if (t === CONTRACT || t.startsWith(`${CONTRACT}/`)) out.push(`${path} imports ${t}`);
  }
  return out;
}

/** Where the extension APIs may be touched: the entrypoints and the worker's and platform's adapters. */
const BROWSER_ALLOWED = ["entrypoints/", "utils/worker/background-main.ts", "utils/platform/"];
const BROWSER = /["'](?:wxt\/browser|webextension-polyfill)["']|(?<![.\w$])(?:browser|chrome)\.[a-zA-Z]/;

function browserOutsideAdapters(tree: Tree): string[] {
  const out: string[] = [];
  for (const [path, text] of tree) {
    if (!/^(utils|components|gateway)\//.test(path)) continue;
    if (BROWSER_ALLOWED.some((a) => path.startsWith(a))) continue;
    const m = BROWSER.exec(code(text));
    if (m) out.push(`${path} touches the browser (${m[0]})`);
  }
  return out;
}

/** A folder with an `index.ts` is reached through it from outside the folder. */
function bypassedIndexes(tree: Tree): string[] {
  const folders = new Set([...tree.keys()].filter((p) => p.endsWith("/index.ts")).map((p) => dirname(p)));
  const out: string[] = [];
  for (const [path, text] of tree) {
    for (const t of imports(path, text)) {
      const folder = dirname(t);
      // Stylesheets and other assets are not modules an index could re-export.
      if (!folders.has(folder) || t.endsWith("/index") || /\.\w+$/.test(t)) continue;
      if (dirname(path) === folder || dirname(path).startsWith(`${folder}/`)) continue;
      out.push(`${path} reaches into ${t} instead of ${folder}/index.ts`);
    }
  }
  return out;
}

/**
 * The agent client is for agent runtimes, beside the gateway: the extension never imports it, and it takes
 * nothing from the extension but the protocol module.
 */
function agentClientBoundary(tree: Tree): string[] {
  const out: string[] = [];
  for (const [path, text] of tree) {
    const client = path.startsWith("agent-client/");
    const extension = /^(utils|components|entrypoints)\//.test(path);
    if (!client && !extension) continue;
    for (const t of imports(path, text)) {
      if (extension && t.startsWith("agent-client")) out.push(`${path} (extension) imports ${t}`);
      if (client && t.startsWith("utils/") && !t.startsWith("utils/protocol"))
        out.push(`${path} (agent client) imports ${t}`);
    }
  }
  return out;
}

/**
 * The simulation is an agent runtime like any other: inside the gateway only its assembly (`gateway/gateway.ts`)
 * reaches `gateway/sim/`, and only through the runtime (`sim-runtime.ts`); the simulation takes nothing from the
 * gateway but the clock and the shared figures (`stats.ts`) — it reaches the gateway through the agent client.
 * Tests and scripts drive it directly, as they drive any runtime.
 */
const SIM_ROOM = "gateway/sim/";
const SIM_SEAM = { from: "gateway/gateway.ts", to: "gateway/sim/sim-runtime" };
const SIM_TAKES = ["gateway/clock", "gateway/stats"];

function simBoundary(tree: Tree): string[] {
  const out: string[] = [];
  for (const [path, text] of tree) {
    if (!path.startsWith("gateway/")) continue;
    const inside = path.startsWith(SIM_ROOM);
    for (const t of imports(path, text)) {
      if (!inside && t.startsWith(SIM_ROOM) && !(path === SIM_SEAM.from && t === SIM_SEAM.to))
        out.push(`${path} reaches the simulation (${t}) other than as an agent runtime`);
      if (inside && t.startsWith("gateway/") && !t.startsWith(SIM_ROOM) && !SIM_TAKES.includes(t))
        out.push(`${path} (simulation) imports ${t}`);
    }
  }
  return out;
}

/** Close codes are named (`utils/protocol/close-codes.ts`), never written as numbers. */
const CLOSE_CODES_MODULE = "utils/protocol/close-codes.ts";
const CLOSE_LITERAL = /(?<![\w.])(400[0138]|4100|4110|4200|4210)(?![\w.])/g;
const CLOSE_NUMBER = String.raw`(?:100[06]|4\d{3})\b`;
const CLOSE_CONTEXT = new RegExp(
  String.raw`\.close\(\s*${CLOSE_NUMBER}|\bcode\s*[!=]==?\s*${CLOSE_NUMBER}|\b${CLOSE_NUMBER}\s*[!=]==?\s*\w*[cC]ode\b|\bcase\s+${CLOSE_NUMBER}\s*:`,
  "g",
);
/** The same numbers meaning something else: a length limit, a period in ms. */
const NOT_CLOSE_CODES: Readonly<Record<string, readonly string[]>> = {
  "utils/protocol/command-payloads.ts": ["4000"],
  "gateway/sim/simulation.ts": ["4000"],
};

function bareCloseCodes(tree: Tree): string[] {
  const out: string[] = [];
  for (const [path, text] of tree) {
    if (!/^(utils|components|gateway|entrypoints)\//.test(path) || path === CLOSE_CODES_MODULE) continue;
    const c = code(text);
    for (const m of c.matchAll(CLOSE_LITERAL))
      if (!NOT_CLOSE_CODES[path]?.includes(m[1] as string)) out.push(`${path}: ${m[1]} is a bare close code`);
    for (const m of c.matchAll(CLOSE_CONTEXT))
      out.push(`${path}: "${m[0]}" compares or closes with a number`);
  }
  return out;
}

const MAX_LINES = 350;
/** Files allowed past MAX_LINES, each with the reason and the issue that splits it. */
const LONG_FILES: Readonly<Record<string, string>> = {
  "utils/filters/keyword-index.ts": "the keyword index: #21 moves the query (and the index) into the worker",
  "gateway/gateway.ts":
    "the gateway's assembly: #20 moves each room's wiring into its room as the seams move",
  "gateway/stream/connection.ts":
    "the /v1/stream socket: #20 gives both endpoints one socket guard and frame budget",
  "gateway/sim/sim-session.ts":
    "one simulated conversation: #20 moved it to gateway/sim/, where it is to be split",
};

function longFiles(tree: Tree, allowed: Readonly<Record<string, string>> = LONG_FILES): string[] {
  const out: string[] = [];
  for (const [path, text] of tree) {
    if (!/^(utils|components|gateway)\//.test(path)) continue;
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines > MAX_LINES && !(path in allowed)) out.push(`${path} has ${lines} lines (> ${MAX_LINES})`);
  }
  return out;
}

describe("the house rules hold in the source tree", () => {
  const tree = readTree();

  it("reads the tree", () => {
    expect(tree.size).toBeGreaterThan(200);
    expect(tree.has("utils/worker/worker-core.ts")).toBe(true);
  });
  it("the panel imports no worker code", () => {
    expect(panelImportsWorker(tree)).toEqual([]);
  });
  it("the layers below the worker ↔ panel contract do not import it", () => {
    expect(tree.has(`${CONTRACT}/index.ts`)).toBe(true);
    expect(lowerLayersImportContract(tree)).toEqual([]);
  });
  it("only entrypoints and adapters touch the browser APIs", () => {
    expect(browserOutsideAdapters(tree)).toEqual([]);
  });
  it("no folder's index.ts is bypassed", () => {
    expect(bypassedIndexes(tree)).toEqual([]);
  });
  it("the extension and the agent client keep to their sides", () => {
    expect(agentClientBoundary(tree)).toEqual([]);
  });
  it("the gateway reaches the simulation only as an agent runtime", () => {
    expect(tree.has(`${SIM_SEAM.to}.ts`)).toBe(true);
    expect(simBoundary(tree)).toEqual([]);
  });
  it("no close code is a bare number", () => {
    expect(tree.has(CLOSE_CODES_MODULE)).toBe(true);
    expect(bareCloseCodes(tree)).toEqual([]);
  });
  it(`no file passes ${MAX_LINES} lines unless listed, and every listed file still does`, () => {
    expect(longFiles(tree)).toEqual([]);
    const stale = Object.keys(LONG_FILES).filter((p) => {
      const text = tree.get(p);
      return text === undefined || text.split("\n").length - 1 <= MAX_LINES;
    });
    expect(stale).toEqual([]);
  });
});

describe("each rule catches what it is for", () => {
  it("a panel file importing the worker, directly or through another file", () => {
    const t = new Map([
      ["entrypoints/sidepanel/main.tsx", 'import { App } from "@/components/app";'],
      [
        "components/app.tsx",
        'import { a } from "@/utils/worker/panel-hub";\nimport { b } from "@/utils/panel";',
      ],
      ["utils/panel/index.ts", 'export * from "./y";'],
      ["utils/panel/y.ts", 'import type { S } from "../store/session-store";'],
      ["utils/store/session-store.ts", "export type S = 1;"],
      ["utils/worker/panel-hub.ts", "export const a = 1;"],
      ["utils/worker/z.ts", 'import { p } from "../panel";'],
    ]);
    expect(panelImportsWorker(t)).toEqual([
      "components/app.tsx imports utils/worker/panel-hub.ts",
      "utils/panel/y.ts imports utils/store/session-store.ts",
    ]);
  });
  it("a panel file reaching a worker room's schema, but not the code behind it", () => {
    const t = new Map([
      ["entrypoints/sidepanel/main.tsx", 'import { decode } from "@/utils/panel-messages";'],
      [
        "utils/panel-messages/index.ts",
        'import { C } from "../store/counters-schema";\nexport const decode = C;',
      ],
      ["utils/store/counters-schema.ts", 'import { T } from "./transcript-schema";\nexport const C = T;'],
      [
        "utils/store/transcript-schema.ts",
        'import { createStore } from "./transcripts";\nexport const T = 1;',
      ],
      ["utils/store/transcripts.ts", "export const createStore = 1;"],
    ]);
    expect(panelImportsWorker(t)).toEqual([
      "utils/store/transcript-schema.ts imports utils/store/transcripts.ts",
    ]);
  });
  it("a lower layer importing the worker ↔ panel contract, but not the layers above", () => {
    const t = new Map([
      ["utils/store/a.ts", 'import type { Counters } from "../panel-messages";'],
      ["utils/connection/b.ts", 'import { PANEL_PORT } from "@/utils/panel-messages/port-keys";'],
      ["utils/alerts/c.ts", 'import type { Alert } from "./alert-schema";\n// from "../panel-messages"'],
      ["utils/worker/d.ts", 'import { decodePanelMessage } from "../panel-messages";'],
      ["utils/panel/e.ts", 'import { decodeWorkerMessage } from "../panel-messages";'],
      ["components/f.tsx", 'import type { Transcript } from "@/utils/panel-messages";'],
    ]);
    expect(lowerLayersImportContract(t)).toEqual([
      "utils/store/a.ts imports utils/panel-messages",
      "utils/connection/b.ts imports utils/panel-messages/port-keys",
    ]);
  });
  it("browser APIs outside the adapters, but not in comments or in the adapters", () => {
    const t = new Map([
      ["utils/a.ts", 'import { browser } from "wxt/browser";'],
      ["utils/b.ts", "export const u = () => chrome.runtime.getURL('/');"],
      ["utils/c.ts", "// browser.storage.session is read by the entrypoint\nexport const x = api.browser;"],
      ["utils/platform/d.ts", "export const g = globalThis.chrome; browser.runtime.id;"],
      ["entrypoints/e/main.ts", "browser.runtime.id;"],
    ]);
    expect(browserOutsideAdapters(t)).toEqual([
      'utils/a.ts touches the browser ("wxt/browser")',
      "utils/b.ts touches the browser (chrome.r)",
    ]);
  });
  it("an index bypassed from outside its folder, not from inside", () => {
    const t = new Map([
      ["utils/f/index.ts", 'export * from "./a";'],
      ["utils/f/a.ts", 'import { b } from "./b";'],
      ["utils/f/b.ts", "export const b = 1;"],
      ["utils/g/c.ts", 'import { a } from "../f/a";\nimport { b } from "../f";'],
      ["components/d.tsx", 'import { a } from "@/utils/f/a";\nimport { x } from "@/utils/f/index";'],
    ]);
    expect(bypassedIndexes(t)).toEqual([
      "utils/g/c.ts reaches into utils/f/a instead of utils/f/index.ts",
      "components/d.tsx reaches into utils/f/a instead of utils/f/index.ts",
    ]);
  });
  it("a close code written as a number, but not a name or the same number meaning something else", () => {
    const t = new Map([
      ["gateway/a.ts", "ws.close(4110, 'rate limited');"],
      ["utils/b.ts", "if (code === 4001) stop();\nif (ev.code !== 1006) log();"],
      ["utils/c.ts", "switch (code) {\n  case 1000:\n    break;\n}"],
      [
        "utils/d.ts",
        "ws.close(CloseCode.rateLimited); // not 4110\nconst ms = 1000;\nif (code === 0) skip();",
      ],
      ["gateway/sim/simulation.ts", "const scale = periodMs / 4000;"],
      ["utils/protocol/close-codes.ts", "export const CloseCode = { rateLimited: 4110 };"],
    ]);
    expect(bareCloseCodes(t)).toEqual([
      "gateway/a.ts: 4110 is a bare close code",
      'gateway/a.ts: ".close(4110" compares or closes with a number',
      "utils/b.ts: 4001 is a bare close code",
      'utils/b.ts: "code === 4001" compares or closes with a number',
      'utils/b.ts: "code !== 1006" compares or closes with a number',
      'utils/c.ts: "case 1000:" compares or closes with a number',
    ]);
  });
  it("the extension importing the agent client, or the agent client importing extension code", () => {
    const t = new Map([
      ["components/a.tsx", 'import { createAgentClient } from "../agent-client";'],
      [
        "agent-client/b.ts",
        'import { createBackoff } from "../utils/protocol";\nimport { x } from "../utils/connection/socket";',
      ],
      ["gateway/c.ts", 'import { createAgentClient } from "../agent-client/index.ts";'],
    ]);
    expect(agentClientBoundary(t)).toEqual([
      "components/a.tsx (extension) imports agent-client",
      "agent-client/b.ts (agent client) imports utils/connection/socket",
    ]);
  });
  it("the gateway reaching into the simulation, or the simulation into the gateway", () => {
    const t = new Map([
      ["gateway/org/interventions.ts", 'import type { Simulation } from "../sim/simulation.ts";'],
      [
        "gateway/gateway.ts",
        'import { createSimRuntime } from "./sim/sim-runtime.ts";\nimport { AGENTS } from "./sim/sim-content.ts";',
      ],
      [
        "gateway/sim/sim-runtime.ts",
        'import { createAgentClient } from "../../agent-client/index.ts";\nimport type { Clock } from "../clock.ts";\nimport { s } from "./sim-session.ts";',
      ],
      ["gateway/sim/simulation.ts", 'import type { OrgState } from "../org/org-state.ts";'],
      ["scripts/scene.ts", 'import type { SimSession } from "../gateway/sim/sim-session.ts";'],
    ]);
    expect(simBoundary(t)).toEqual([
      "gateway/org/interventions.ts reaches the simulation (gateway/sim/simulation) other than as an agent runtime",
      "gateway/gateway.ts reaches the simulation (gateway/sim/sim-content) other than as an agent runtime",
      "gateway/sim/simulation.ts (simulation) imports gateway/org/org-state",
    ]);
  });
  it("a long file, unless allowed", () => {
    const long = "x\n".repeat(MAX_LINES + 1);
    const t = new Map([
      ["utils/long.ts", long],
      ["utils/ok.ts", "x\n".repeat(MAX_LINES)],
      ["gateway/allowed.ts", long],
      ["tests/unit/long.test.ts", long],
    ]);
    expect(longFiles(t, { "gateway/allowed.ts": "why" })).toEqual([
      `utils/long.ts has ${MAX_LINES + 1} lines (> ${MAX_LINES})`,
    ]);
  });
});
