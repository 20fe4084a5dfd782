/**
 * Markdown streaming benchmark: the panel's renderer (components/markdown.tsx)
 * fed the bench's streamed reply (gateway/load/load-markdown.ts: paragraphs, a
 * table, fenced code and task lists in every 50 tokens) 5,000 tokens long, in
 * 200-token replies, rendered with Preact into happy-dom's DOM in Node. Each
 * reply is streamed (StreamingMarkdown: finished blocks kept, the live block
 * re-parsed) and then shown once as the finished message (Markdown, timed
 * apart: a fresh mount of the whole reply). Totals include both. For
 * comparison the same stream is rendered re-parsing the whole reply each
 * time. Figures, not assertions.
 *
 *   npx tsx scripts/bench-markdown.ts          # a table
 *   npx tsx scripts/bench-markdown.ts --json   # one JSON object (for scripts/bench.mjs)
 *   npx tsx scripts/bench-markdown.ts --rounds 1   # one round instead of 3 (the bench's --quick)
 */
import { loadavg } from "node:os";
import { Window } from "happy-dom";
import { type ComponentChildren, h, render } from "preact";
import { markdownToken } from "../gateway/load/load-markdown.ts";

const TOKENS = 5_000;
const REPLY_TOKENS = 200;
/** 5,000 tokens/s at 60 frames/s: the panel renders once a frame. */
const TOKENS_PER_FRAME = Math.ceil(5_000 / 60);

const window = new Window();
Object.assign(globalThis, { window, document: window.document, navigator: window.navigator });
const { Markdown, StreamingMarkdown } = await import("../components/markdown.tsx");

interface Run {
  /** Renders of the streaming reply. */
  renders: number[];
  /** Renders of each finished message (a fresh mount of the whole reply). */
  finals: number[];
  total: number;
}

function stream(everyTokens: number, incremental: boolean): Run {
  const host = window.document.createElement("div");
  window.document.body.append(host);
  const renders: number[] = [];
  const finals: number[] = [];
  let text = "";
  let idx = 0;
  const show = (node: ComponentChildren, into = renders) => {
    const t = performance.now();
    render(node, host as unknown as Element);
    into.push(performance.now() - t);
  };
  for (let n = 0; n < TOKENS; n++) {
    text += markdownToken(n, idx++);
    const replyDone = idx === REPLY_TOKENS;
    if (replyDone || (n + 1) % everyTokens === 0)
      show(
        incremental
          ? h(StreamingMarkdown, { key: n - idx, text, mode: "markdown" })
          : h(Markdown, { key: n - idx, text, mode: "markdown" }),
      );
    if (replyDone) {
      show(h(Markdown, { key: `final${n}`, text, mode: "markdown" }), finals);
      text = "";
      idx = 0;
    }
  }
  render(null, host as unknown as Element);
  host.remove();
  return { renders, finals, total: [...renders, ...finals].reduce((a, b) => a + b, 0) };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const summary = (r: Run) => ({
  renders: r.renders.length,
  total_ms: r.total,
  p50_ms: pct(r.renders, 50),
  p99_ms: pct(r.renders, 99),
  max_ms: Math.max(...r.renders),
  final_p50_ms: pct(r.finals, 50),
  final_max_ms: Math.max(...r.finals),
});

const CASES: Record<string, [number, boolean]> = {
  "per frame (83 tokens), finished blocks kept": [TOKENS_PER_FRAME, true],
  "per frame (83 tokens), whole reply re-parsed": [TOKENS_PER_FRAME, false],
  "per token, finished blocks kept": [1, true],
  "per token, whole reply re-parsed": [1, false],
};
const roundsAt = process.argv.indexOf("--rounds");
const ROUNDS = roundsAt >= 0 ? Number(process.argv[roundsAt + 1]) : 3;
// One warm-up pass, then ROUNDS rounds (3; `--rounds 1` in the bench's quick mode) of every case, interleaved;
// the least disturbed (fastest) run of each is kept (the machine is shared).
stream(TOKENS_PER_FRAME, true);
const best: Record<string, Run> = {};
for (let round = 0; round < ROUNDS; round++)
  for (const [name, [every, incremental]] of Object.entries(CASES)) {
    const r = stream(every, incremental);
    if (!best[name] || r.total < (best[name] as Run).total) best[name] = r;
  }
const results = Object.fromEntries(Object.entries(best).map(([name, r]) => [name, summary(r)]));

if (process.argv.includes("--json")) console.log(JSON.stringify({ load_average: loadavg(), results }));
else {
  console.log(
    `markdown streaming, ${TOKENS} tokens in ${REPLY_TOKENS}-token replies (load ${loadavg()[0]?.toFixed(2)})`,
  );
  for (const [name, r] of Object.entries(results))
    console.log(
      `${name.padEnd(46)} ${String(r.renders).padStart(5)} renders  total ${r.total_ms.toFixed(0).padStart(5)} ms  p50 ${r.p50_ms.toFixed(2)} ms  p99 ${r.p99_ms.toFixed(2)} ms  max ${r.max_ms.toFixed(2)} ms  | finished message p50 ${r.final_p50_ms.toFixed(2)} ms max ${r.final_max_ms.toFixed(2)} ms`,
    );
}
window.close();
