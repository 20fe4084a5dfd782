/**
 * Where the panel's time goes while tokens stream: one `--ui-only`-style token phase
 * (5,000 markdown tokens/s beside 1,000 events/s, 10,000 sessions) with, for 6 s of it,
 * a Chromium trace (per process and thread: total duration of each trace event name) and
 * a sampling CPU profile of the side panel (self time per function).
 *
 *   npx tsx scripts/bench/profile-tokens.ts [--phase-seconds 10]
 *
 * `CATS=` sets the trace categories (default `devtools.timeline`; `CATS=__none` for the
 * profile alone, the lightest), `NOPROF=1` leaves out the CPU profile. Both cost frames:
 * read the shares, not the frame figures it prints.
 */
import { EXTENSION_ID } from "../../utils/extension-id.ts";
import { CONFIG, startFocused } from "./main.ts";
import { tokenStreaming } from "./phases.ts";

const { g, load, b, tap } = await startFocused(CONFIG.paintRate);
const events: Array<{ name: string; ph: string; dur?: number; pid: number; tid: number; cat: string }> = [];
const offData = b.cdp.browser.on("Tracing.dataCollected", (p) => {
  events.push(...(p.value as typeof events));
});
let done: () => void = () => undefined;
const complete = new Promise<void>((r) => {
  done = r;
});
b.cdp.browser.on("Tracing.tracingComplete", () => done());
let profile:
  | {
      nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
      samples: number[];
      timeDeltas: number[];
    }
  | undefined;
const starter = (async () => {
  await new Promise((r) => setTimeout(r, 4000));
  const { targetInfos } = await b.cdp.browser.send<{
    targetInfos: Array<{ targetId: string; url: string; type: string }>;
  }>("Target.getTargets");
  const t = targetInfos.find((x) => x.url.includes("sidepanel.html") && x.type === "page");
  const s = t ? await b.cdp.attach(t.targetId) : undefined;
  await b.cdp.browser.send("Tracing.start", {
    categories: process.env.CATS ?? "devtools.timeline",
    transferMode: "ReportEvents",
  });
  if (s) {
    await s.send("Profiler.enable");
    await s.send("Profiler.setSamplingInterval", { interval: 500 });
    if (!process.env.NOPROF) await s.send("Profiler.start");
  }
  await new Promise((r) => setTimeout(r, 6000));
  if (s && !process.env.NOPROF)
    profile = (await s.send<{ profile: NonNullable<typeof profile> }>("Profiler.stop")).profile;
  await b.cdp.browser.send("Tracing.end");
  await complete;
})();
const figures = await tokenStreaming(b, EXTENSION_ID, load, CONFIG.tokenRate, CONFIG.phaseSec, tap);
await starter;
offData();
console.log(JSON.stringify({ ...figures, frames: undefined }));
const byPid = new Map<number, Map<string, { n: number; ms: number }>>();
for (const e of events) {
  if (e.ph !== "X" || e.dur === undefined) continue;
  const m = byPid.get(e.pid * 1e6 + e.tid) ?? new Map();
  byPid.set(e.pid * 1e6 + e.tid, m);
  const a = m.get(e.name) ?? { n: 0, ms: 0 };
  a.n++;
  a.ms += e.dur / 1000;
  m.set(e.name, a);
}
for (const [pid, m] of byPid) {
  const top = [...m].sort((x, y) => y[1].ms - x[1].ms).slice(0, 25);
  if ((top[0]?.[1].ms ?? 0) < 200) continue;
  console.log(`pid ${pid}`);
  for (const [name, a] of top)
    console.log(`  ${a.ms.toFixed(0).padStart(7)} ms ${String(a.n).padStart(6)}× ${name}`);
}
if (profile) {
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++)
    self.set(
      profile.samples[i] as number,
      (self.get(profile.samples[i] as number) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000,
    );
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
    byFn.set(k, (byFn.get(k) ?? 0) + (self.get(n.id) ?? 0));
  }
  console.log("CPU self time (6 s):");
  for (const [k, ms] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, 30))
    console.log(`  ${ms.toFixed(0).padStart(6)} ms ${k}`);
}
await b.close();
await g.stop();
process.exit(0);
