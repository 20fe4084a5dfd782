/**
 * Every keyword rule's phrases compiled into one matcher, so a user message
 * costs one pass whatever the number of rules. A phrase matches
 * case-insensitively on word boundaries ("lawyer" does not match "lawyers");
 * spaces inside a phrase match any run of whitespace.
 *
 * The pass walks the text word by word, hashing each word (case-folded, no
 * allocation) and looking it up among the phrases' first words; only where a
 * first word hits does one sticky regular expression (every phrase, longest
 * first, boundaries included) confirm the phrase there. Phrases that begin
 * with a non-word character ("$$$") fall back to a regex scan.
 *
 * Every rule whose phrase occurs fires: a match is tried at every word start
 * (so "cancel my" and "my account" both match in "cancel my account"), and a
 * phrase that matches also fires the rules of every shorter phrase it contains
 * on word boundaries ("cancel my account" also fires a rule on "cancel").
 * Each rule is reported once per text.
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

/** Character classes, cached per UTF-16 code unit: 1 word character, 2 not. */
const wordClass = new Uint8Array(65536);
for (let c = 0; c < 128; c++) wordClass[c] = WORD.test(String.fromCharCode(c)) ? 1 : 2;
function isWordCode(c: number): boolean {
  let k = wordClass[c] as number;
  if (k === 0) {
    k = WORD.test(String.fromCharCode(c)) ? 1 : 2;
    wordClass[c] = k;
  }
  return k === 1;
}
/** Lower-case fold of one code unit, cached (ASCII by arithmetic). */
const foldCache = new Map<number, number>();
function fold(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  let f = foldCache.get(c);
  if (f === undefined) {
    const low = String.fromCharCode(c).toLocaleLowerCase();
    f = low.length === 1 ? low.charCodeAt(0) : c;
    foldCache.set(c, f);
  }
  return f;
}
const FNV_SEED = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Hashes are kept small integers: no heap numbers, fast Set lookups. */
const HASH_MASK = 0x3fffffff;
/** FNV-1a over the case-folded code units of text[from, to) (the scan computes the same inline). */
function hashWord(text: string, from: number, to: number): number {
  let h = FNV_SEED;
  for (let i = from; i < to; i++) h = Math.imul(h ^ fold(text.charCodeAt(i)), FNV_PRIME);
  return h & HASH_MASK;
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
  // Boundaries are part of each alternative, so a phrase failing its end boundary lets a shorter one match.
  const source = phrases
    .map((p) => {
      const before = isWord(p[0]) ? "(?<![\\p{L}\\p{N}_])" : "";
      const after = isWord(p[p.length - 1]) ? "(?![\\p{L}\\p{N}_])" : "";
      return `${before}(${escapeRe(p).replace(/ /g, "\\s+")})${after}`;
    })
    .join("|");
  // Phrases that begin with a word character are found from the hash of their first word: the scan
  // walks the text once, hashing each word, and runs the (sticky) regex only where a first word hits.
  // Phrases that begin with anything else are left to a plain regex scan.
  const firstWords = new Set<number>();
  let needsScan = false;
  for (const p of phrases) {
    if (!isWord(p[0])) {
      needsScan = true;
      continue;
    }
    let end = 0;
    while (end < p.length && isWordCode(p.charCodeAt(end))) end++;
    firstWords.add(hashWord(p, 0, end));
  }
  const at = new RegExp(source, "iuy");
  const scan = needsScan ? new RegExp(source, "giu") : null;
  const seen = new Uint32Array(maxRule + 1);
  let stamp = 0;

  function report(m: RegExpExecArray, hit: (rule: number, phrase: string) => void): void {
    let g = 1;
    while (g < m.length && m[g] === undefined) g++;
    const i = g - 1;
    for (const f of fires[i] ?? []) {
      if (seen[f.rule] === stamp) continue;
      seen[f.rule] = stamp;
      hit(f.rule, f.phrase);
    }
  }

  return {
    phraseCount: phrases.length,
    match(text, hit) {
      stamp++;
      if (stamp > 0xfffffffe) {
        stamp = 1;
        seen.fill(0);
      }
      // One pass, word by word; ASCII is classified and folded inline (the common case, no calls).
      const n = text.length;
      let h = FNV_SEED;
      let start = -1;
      for (let i = 0; i <= n; i++) {
        const c = i < n ? text.charCodeAt(i) : 32;
        let word: boolean;
        let f = c;
        if (c < 128) {
          word = wordClass[c] === 1;
          if (c >= 65 && c <= 90) f = c + 32;
        } else {
          word = isWordCode(c);
          if (word) f = fold(c);
        }
        if (word) {
          if (start < 0) {
            start = i;
            h = FNV_SEED;
          }
          h = Math.imul(h ^ f, FNV_PRIME);
        } else if (start >= 0) {
          if (firstWords.has(h & HASH_MASK)) {
            at.lastIndex = start;
            const m = at.exec(text);
            if (m !== null) report(m, hit);
          }
          start = -1;
        }
      }
      if (scan !== null) {
        scan.lastIndex = 0;
        let m = scan.exec(text);
        while (m !== null) {
          report(m, hit);
          scan.lastIndex = m.index + 1;
          m = scan.exec(text);
        }
      }
    },
  };
}
