import { EXTENSION_ID } from "../../utils/extension-id.ts";
import { FOCUS_KEY } from "../../utils/panel-protocol.ts";
import { openPage, waitFor } from "./browser.ts";
import { CONFIG, startFocused } from "./main.ts";
import { PANEL_URL, probeOf } from "./phases.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const { g, load, b } = await startFocused(CONFIG.paintRate);
await b.worker.evaluate(
  `chrome.storage.session.set({ ${JSON.stringify(FOCUS_KEY)}: { session_id: ${JSON.stringify(load.watchedId)}, at: Date.now() } })`,
);
const page = await openPage(b, PANEL_URL(EXTENSION_ID), { probe: true });
await waitFor("t", () =>
  page.session.evaluate<boolean | undefined>("document.querySelector('.messages') ? true : undefined"),
);
load.setTokenRate(CONFIG.tokenRate);
await waitFor("tok", () => probeOf<number | undefined>(page, "P.maxToken >= 0 ? 1 : undefined"));
await sleep(1000);
const first = load.tokensEmitted;
const t0 = Date.now();
await probeOf(page, "(P.reset(), P.recording = true, 0)");
await sleep(CONFIG.phaseSec * 1000);
const data = await probeOf<{ tokens: number[]; frames: number[] }>(
  page,
  "(P.recording = false, { tokens: P.tokens, frames: P.frames })",
);
load.setTokenRate(0);
let prev = first - 1;
let prevAt = t0;
for (let i = 0; i + 1 < data.tokens.length; i += 2) {
  const n = data.tokens[i] as number;
  const at = data.tokens[i + 1] as number;
  const k = Math.max(prev + 1, first);
  const t = load.tokenEmittedAt(k);
  if (t !== undefined && at - t > 150)
    console.log(
      `t+${(at - t0).toFixed(0)} lat ${(at - t).toFixed(0)} ms, tokens ${k}..${n} (${n - k + 1}), idx-in-reply ${k % 200}, since prev paint ${(at - prevAt).toFixed(0)}`,
    );
  prev = Math.max(prev, n);
  prevAt = at;
}
const big = data.frames.map((f, i) => [i, f]).filter(([, f]) => (f as number) > 25);
console.log(
  `frames ${data.frames.length}, >25ms: ${big.length}: ${big.map(([, f]) => (f as number).toFixed(0)).join(" ")}`,
);
await b.close();
await g.stop();
process.exit(0);
