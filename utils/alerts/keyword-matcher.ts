/**
 * Every keyword rule's phrases compiled into one matcher, so a user message
 * costs one pass whatever the number of rules. A phrase matches
 * case-insensitively on word boundaries ("lawyer" does not match "lawyers");
 * spaces inside a phrase match any run of whitespace.
 *
 * The pass is one regular expression built as a trie of all phrases
 * (`c(?:ancel my account|ourt)|l(?:awyer|…)`): the engine dispatches on each
 * character instead of trying 100 alternatives at every position, which makes
 * it several times faster than a flat alternation. Only where it finds a
 * candidate does a second, sticky expression (every phrase, longest first,
 * boundaries included) say which phrase matched there.
 *
 * Every rule whose phrase occurs fires: a candidate is tried at every
 * position the scan stops at (so "cancel my" and "my account" both match in
 * "cancel my account"), and a phrase that matches also fires the rules of
 * every shorter phrase it contains on word boundaries ("cancel my account"
 * also fires a rule on "cancel"). Each rule is reported once per text. A text
 * without a candidate allocates nothing.
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

/** A trie of the phrases as one regular expression source (spaces match any whitespace). */
function trieSource(phrases: readonly string[]): string {
  interface Node {
    next: Map<string, Node>;
    end: boolean;
  }
  const root: Node = { next: new Map(), end: false };
  for (const p of phrases) {
    let n = root;
    for (const ch of p) {
      let k = n.next.get(ch);
      if (!k) {
        k = { next: new Map(), end: false };
        n.next.set(ch, k);
      }
      n = k;
    }
    n.end = true;
  }
  const emit = (n: Node): string => {
    const alts = [...n.next].map(([ch, k]) => (ch === " " ? "\\s+" : escapeRe(ch)) + emit(k));
    if (alts.length === 0) return "";
    const body = alts.length === 1 ? (alts[0] as string) : `(?:${alts.join("|")})`;
    return n.end ? `(?:${body})?` : body;
  };
  return emit(root);
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
  const at = new RegExp(source, "iuy");
  const scan = new RegExp(trieSource(phrases), "giu");
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
      scan.lastIndex = 0;
      let m = scan.exec(text);
      while (m !== null) {
        const from = m.index;
        at.lastIndex = from;
        const hitHere = at.exec(text);
        if (hitHere !== null) report(hitHere, hit);
        scan.lastIndex = from + 1;
        m = scan.exec(text);
      }
    },
  };
}
