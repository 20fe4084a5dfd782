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
  // Longest first: at one position the longest phrase wins, and it carries the rules of every
  // shorter phrase it begins with (on a word boundary) — those start at the same position, so
  // the scan would not meet them separately. Phrases further inside are met by the scan itself.
  const phrases = [...byPhrase.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const fires = phrases.map((p) => {
    const out = [...(byPhrase.get(p) ?? [])];
    for (let j = 1; j < p.length; j++) {
      const onBoundary = !isWord(p[j - 1]) || !isWord(p[j]);
      const q = onBoundary ? byPhrase.get(p.slice(0, j).trimEnd()) : undefined;
      if (q) for (const x of q) if (!out.some((y) => y.rule === x.rule)) out.push(x);
    }
    return out;
  });
  const startsWithWord = phrases.map((p) => isWord(p[0]));
  // A few hundred phrases per expression: one scan in the usual case, and never an expression
  // too large for the engine (200 rules × 50 phrases is allowed).
  const chunks: { scan: RegExp; confirm: (text: string, from: number) => number; base: number }[] = [];
  for (let base = 0; base < phrases.length; base += CHUNK) {
    const list = phrases.slice(base, base + CHUNK);
    chunks.push({ scan: new RegExp(trieSource(list), "giu"), confirm: confirmer(list), base });
  }
  const seen = new Uint32Array(maxRule + 1);
  let stamp = 0;

  return {
    phraseCount: phrases.length,
    match(text, hit) {
      stamp++;
      if (stamp > 0xfffffffe) {
        stamp = 1;
        seen.fill(0);
      }
      for (const { scan, confirm, base } of chunks) {
        scan.lastIndex = 0;
        let m = scan.exec(text);
        while (m !== null) {
          const from = m.index;
          const k = confirm(text, from);
          const i = k < 0 ? -1 : base + k;
          // A phrase starting with a word character needs a word boundary before it.
          if (i >= 0 && !(startsWithWord[i] && from > 0 && isWord(text[from - 1])))
            for (const f of fires[i] ?? []) {
              if (seen[f.rule] === stamp) continue;
              seen[f.rule] = stamp;
              hit(f.rule, f.phrase);
            }
          scan.lastIndex = from + 1;
          m = scan.exec(text);
        }
      }
    },
  };
}

const CHUNK = 400;

/**
 * The confirming expression over `list` (longest first): which phrase (index in `list`, -1 for
 * none) matches at `from`. Phrases that end in a word character share one end-boundary lookahead
 * (failing it backtracks into the shorter alternatives); the others follow without. Kept small on
 * purpose: a Unicode class per alternative makes the expression slow to compile.
 */
function confirmer(list: readonly string[]): (text: string, from: number) => number {
  const group = (idx: number[]) =>
    idx.map((i) => `(${escapeRe(list[i] ?? "").replace(/ /g, "\\s+")})`).join("|");
  const wordEnd = list.flatMap((p, i) => (isWord(p[p.length - 1]) ? [i] : []));
  const otherEnd = list.flatMap((p, i) => (isWord(p[p.length - 1]) ? [] : [i]));
  const groupPhrase = [...wordEnd, ...otherEnd];
  const parts: string[] = [];
  if (wordEnd.length > 0) parts.push(`(?:${group(wordEnd)})(?![\\p{L}\\p{N}_])`);
  if (otherEnd.length > 0) parts.push(`(?:${group(otherEnd)})`);
  const at = new RegExp(parts.join("|"), "iuy");
  return (text, from) => {
    at.lastIndex = from;
    const m = at.exec(text);
    if (m === null) return -1;
    let g = 1;
    while (g < m.length && m[g] === undefined) g++;
    return groupPhrase[g - 1] ?? -1;
  };
}
