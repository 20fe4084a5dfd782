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

/** The last few compiled matchers, by their entries: a panel re-sending the same rules costs no compile. */
const compiled = new Map<string, KeywordMatcher | null>();
const COMPILED_KEEP = 4;

/** Returns null when there is no phrase at all (the caller then skips the scan). */
export function compileKeywords(entries: readonly KeywordEntry[]): KeywordMatcher | null {
  const key = JSON.stringify(entries);
  const known = compiled.get(key);
  if (known !== undefined) return known;
  const made = build(entries);
  compiled.set(key, made);
  if (compiled.size > COMPILED_KEEP) {
    const oldest = compiled.keys().next().value;
    if (oldest !== undefined) compiled.delete(oldest);
  }
  return made;
}

function build(entries: readonly KeywordEntry[]): KeywordMatcher | null {
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
  // The confirming expression: phrases that end in a word character share one end-boundary
  // lookahead (failing it backtracks into the shorter alternatives, longest first), the others
  // follow without. Kept this small on purpose: a Unicode class per alternative makes the
  // expression slow to compile. The start boundary is checked in code (see `match`).
  const group = (list: number[]) =>
    list.map((i) => `(${escapeRe(phrases[i] ?? "").replace(/ /g, "\\s+")})`).join("|");
  const wordEnd = phrases.flatMap((p, i) => (isWord(p[p.length - 1]) ? [i] : []));
  const otherEnd = phrases.flatMap((p, i) => (isWord(p[p.length - 1]) ? [] : [i]));
  const groupPhrase = [...wordEnd, ...otherEnd];
  const parts: string[] = [];
  if (wordEnd.length > 0) parts.push(`(?:${group(wordEnd)})(?![\\p{L}\\p{N}_])`);
  if (otherEnd.length > 0) parts.push(`(?:${group(otherEnd)})`);
  const at = new RegExp(parts.join("|"), "iuy");
  const scan = new RegExp(trieSource(phrases), "giu");
  const startsWithWord = phrases.map((p) => isWord(p[0]));
  const seen = new Uint32Array(maxRule + 1);
  let stamp = 0;

  function report(m: RegExpExecArray, text: string, hit: (rule: number, phrase: string) => void): void {
    let g = 1;
    while (g < m.length && m[g] === undefined) g++;
    const i = groupPhrase[g - 1] ?? -1;
    // A phrase starting with a word character needs a word boundary before it.
    if (startsWithWord[i] && m.index > 0 && isWord(text[m.index - 1])) return;
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
        if (hitHere !== null) report(hitHere, text, hit);
        scan.lastIndex = from + 1;
        m = scan.exec(text);
      }
    },
  };
}
