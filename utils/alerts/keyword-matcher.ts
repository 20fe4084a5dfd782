/**
 * Every keyword rule's phrases compiled into one case-insensitive regular
 * expression, so a user message costs one scan whatever the number of rules.
 * A phrase matches on word boundaries ("lawyer" does not match "lawyers");
 * spaces inside a phrase match any run of whitespace.
 *
 * Overlaps are handled without a second scan: after a match the scan resumes
 * one character later (so "cancel my" and "my account" both match in "cancel
 * my account"), and a phrase that matches also fires the rules of every
 * shorter phrase it contains on word boundaries ("cancel my account" also
 * fires a rule on "cancel"). Each rule is reported once per text; a text that
 * matches nothing allocates nothing beyond the regex engine's own work.
 */

const WORD = /[\p{L}\p{N}_]/u;
const isWord = (ch: string | undefined) => ch !== undefined && ch !== "" && WORD.test(ch);

export interface KeywordEntry {
  /** The caller's index for this rule (reported back on a hit). */
  rule: number;
  phrases: readonly string[];
}

export interface KeywordMatcher {
  readonly phraseCount: number;
  /** Calls `hit(rule, phrase)` once per rule whose phrase occurs in `text` (phrase as the rule wrote it). */
  match(text: string, hit: (rule: number, phrase: string) => void): void;
}

const normalize = (p: string) => p.replace(/\s+/g, " ").trim().toLocaleLowerCase();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** `inner` occurs inside `outer` (both normalized) with word boundaries around it. */
function containsOnBoundaries(outer: string, inner: string): boolean {
  let at = outer.indexOf(inner);
  while (at >= 0) {
    const before = outer[at - 1];
    const after = outer[at + inner.length];
    const okBefore = !isWord(inner[0]) || !isWord(before);
    const okAfter = !isWord(inner[inner.length - 1]) || !isWord(after);
    if (okBefore && okAfter) return true;
    at = outer.indexOf(inner, at + 1);
  }
  return false;
}

/** Returns null when there is no phrase at all (the caller then skips the scan). */
export function compileKeywords(entries: readonly KeywordEntry[]): KeywordMatcher | null {
  // Distinct phrases (normalized) → the rules that listed them, with their own spelling.
  const byPhrase = new Map<string, { rule: number; phrase: string }[]>();
  let maxRule = 0;
  for (const e of entries) {
    maxRule = Math.max(maxRule, e.rule);
    for (const raw of e.phrases) {
      const key = normalize(raw);
      if (!key) continue;
      let list = byPhrase.get(key);
      if (!list) {
        list = [];
        byPhrase.set(key, list);
      }
      if (!list.some((x) => x.rule === e.rule)) list.push({ rule: e.rule, phrase: raw.trim() });
    }
  }
  if (byPhrase.size === 0) return null;
  // Longest first: at one position the longest phrase wins, and it carries its sub-phrases' rules.
  const phrases = [...byPhrase.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const fires = phrases.map((p) => {
    const out = [...(byPhrase.get(p) ?? [])];
    for (const q of phrases) {
      if (q.length >= p.length || !containsOnBoundaries(p, q)) continue;
      for (const x of byPhrase.get(q) ?? []) if (!out.some((y) => y.rule === x.rule)) out.push(x);
    }
    return out;
  });
  const needsStart = phrases.map((p) => isWord(p[0]));
  const needsEnd = phrases.map((p) => isWord(p[p.length - 1]));
  const source = phrases.map((p) => `(${escapeRe(p).replace(/ /g, "\\s+")})`).join("|");
  const re = new RegExp(source, "giu");
  const seen = new Uint32Array(maxRule + 1);
  let stamp = 0;

  return {
    phraseCount: phrases.length,
    match(text, hit) {
      re.lastIndex = 0;
      let m = re.exec(text);
      if (m === null) return;
      stamp = stamp === 0xffffffff ? 1 : stamp + 1;
      if (stamp === 1) seen.fill(0);
      while (m !== null) {
        let g = 1;
        while (g < m.length && m[g] === undefined) g++;
        const i = g - 1;
        const end = m.index + m[0].length;
        const ok = (!needsStart[i] || !isWord(text[m.index - 1])) && (!needsEnd[i] || !isWord(text[end]));
        if (ok) {
          for (const f of fires[i] ?? []) {
            if (seen[f.rule] === stamp) continue;
            seen[f.rule] = stamp;
            hit(f.rule, f.phrase);
          }
        }
        re.lastIndex = m.index + 1;
        m = re.exec(text);
      }
    },
  };
}
