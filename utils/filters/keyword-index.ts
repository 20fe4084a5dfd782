/**
 * A bounded, incremental index of message text per session, for the keyword
 * filter.
 *
 *   const index = createKeywordIndex({ maxMessagesPerSession: 200 });
 *   index.addMessage("ses_1", { id: "msg_9", text: "Where is my refund?" });
 *   index.syncTranscript("ses_1", transcript.messages); // adds only unseen ids
 *   index.search("refund");      // → ReadonlySet<session_id>
 *   index.isTruncated("ses_1");  // older messages fell out of the index
 *   index.snippet("ses_1", "refund"); // "…Where is my refund?" — the newest match in context
 *   index.removeSession("ses_1");
 *   index.version.value          // bumps on every change (signals dependency)
 *
 * Memory is bounded three ways: messages per session, characters per session
 * (oldest messages of that session go first), and characters in total (oldest
 * messages of the least recently updated session go first). A session that
 * lost messages this way is flagged `isTruncated`, so the UI can say the match
 * covers only its recent messages.
 *
 * Searching is a literal, case-insensitive substring scan (no regex) of one
 * string per session: its lower-cased messages joined by a separator that no
 * keyword contains, so a match never spans two messages. The last result is kept and updated as messages
 * arrive or fall out, so a live keyword costs O(new message) per message, and
 * typing more letters scans only the sessions that matched the shorter word.
 * Beside the lower-cased text each session keeps its original text at the same
 * offsets (for `snippet`), so the character budgets hold twice that many code units.
 */
import { type ReadonlySignal, signal } from "@preact/signals";
import { normalizeKeyword } from "./filter-spec";

export interface IndexedMessage {
  id: string;
  text: string;
}

export interface KeywordIndexOptions {
  maxMessagesPerSession?: number;
  maxCharsPerSession?: number;
  maxTotalChars?: number;
}

export interface KeywordIndexStats {
  sessions: number;
  messages: number;
  chars: number;
  truncatedSessions: number;
}

export interface KeywordIndex {
  /** Adds (or, same id, replaces) one message. */
  addMessage(sessionId: string, message: IndexedMessage): void;
  /** Adds the messages of a whole transcript that are not indexed yet; changed texts are replaced. */
  syncTranscript(sessionId: string, messages: readonly IndexedMessage[]): void;
  removeSession(sessionId: string): void;
  /** Drops every session not in `keep` (call with the live session ids after a snapshot). */
  retainOnly(keep: ReadonlySet<string>): void;
  search(keyword: string): ReadonlySet<string>;
  isTruncated(sessionId: string): boolean;
  /**
   * The newest indexed match of `keyword` in the session, in its original case with up to
   * `radius` characters of its message around it ("…" where cut); null when there is none.
   */
  snippet(sessionId: string, keyword: string, radius?: number): string | null;
  stats(): KeywordIndexStats;
  readonly version: ReadonlySignal<number>;
}

interface Entry {
  id: string;
  /** Length of this message's lower-cased text inside `SessionEntry.text`. */
  len: number;
}

interface SessionEntry {
  messages: Entry[];
  ids: Map<string, Entry>;
  /** The lower-cased texts joined by SEP: one substring search per session. */
  text: string;
  /** The same texts in their original case, at the same offsets (for snippets). */
  raw: string;
  /** Characters held (without separators). */
  chars: number;
  truncated: boolean;
  bucket: Bucket;
}

/** Joins messages so a keyword never matches across two of them. */
const SEP = "\u0000";
/** Joins sessions inside a bucket. */
const BUCKET_SEP = "\u0001";
/** Sessions per bucket: a full search is one scan of ~BUCKET_SIZE sessions' text per bucket. */
const BUCKET_SIZE = 64;

/**
 * Sessions are grouped in buckets whose texts are joined lazily into one
 * string, so a full search makes ~N/64 native substring scans instead of N
 * calls. A change to a session only invalidates its bucket.
 */
interface Bucket {
  ids: string[];
  joined: string | null;
  /** Start of each session's text in `joined`. */
  starts: number[];
}

export const KEYWORD_INDEX_DEFAULTS: Required<KeywordIndexOptions> = {
  maxMessagesPerSession: 200,
  maxCharsPerSession: 40_000,
  maxTotalChars: 4_000_000,
};

export function createKeywordIndex(options: KeywordIndexOptions = {}): KeywordIndex {
  const limits = { ...KEYWORD_INDEX_DEFAULTS, ...options };
  // Map order = recency: a session updated is moved to the end.
  const sessions = new Map<string, SessionEntry>();
  const version = signal(0);
  let totalChars = 0;
  let totalMessages = 0;
  let cache: { keyword: string; hits: Set<string> } | null = null;
  const buckets: Bucket[] = [];
  /** Sessions whose every indexed message was evicted: only the mark is kept. */
  const emptied = new Set<string>();

  /** Buckets with room, so churn refills old buckets instead of leaving them sparse. */
  const roomy = new Set<Bucket>();

  const place = (id: string): Bucket => {
    let b = roomy.values().next().value;
    if (!b) {
      b = { ids: [], joined: null, starts: [] };
      buckets.push(b);
      roomy.add(b);
    }
    b.ids.push(id);
    b.joined = null;
    if (b.ids.length >= BUCKET_SIZE) roomy.delete(b);
    return b;
  };
  const unplace = (id: string, b: Bucket) => {
    b.ids.splice(b.ids.indexOf(id), 1);
    b.joined = null;
    if (b.ids.length === 0) {
      buckets.splice(buckets.indexOf(b), 1);
      roomy.delete(b);
    } else roomy.add(b);
  };
  const joinedOf = (b: Bucket): string => {
    if (b.joined === null) {
      const parts: string[] = [];
      let at = 0;
      b.starts = [];
      for (const id of b.ids) {
        const text = sessions.get(id)?.text ?? "";
        b.starts.push(at);
        parts.push(text);
        at += text.length + BUCKET_SEP.length;
      }
      b.joined = parts.join(BUCKET_SEP);
    }
    return b.joined;
  };
  const scanAll = (needle: string, hits: Set<string>) => {
    for (const b of buckets) {
      const text = joinedOf(b);
      let i = text.indexOf(needle);
      while (i >= 0) {
        // The session holding position i: the last start <= i.
        let lo = 0;
        let hi = b.starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if ((b.starts[mid] ?? 0) <= i) lo = mid;
          else hi = mid - 1;
        }
        const id = b.ids[lo];
        if (id !== undefined) hits.add(id);
        const next = b.starts[lo + 1];
        if (next === undefined) break;
        i = text.indexOf(needle, next);
      }
    }
  };

  const bump = () => {
    version.value++;
  };

  const sessionMatches = (s: SessionEntry, needle: string) => s.text.includes(needle);

  /** After messages left or changed in a session, recheck its place in the cached result. */
  const recheck = (id: string, s: SessionEntry | undefined) => {
    if (!cache?.hits.has(id)) return;
    if (!s || !sessionMatches(s, cache.keyword)) {
      cache.hits = new Set(cache.hits);
      cache.hits.delete(id);
    }
  };

  const dropOldest = (s: SessionEntry) => {
    const old = s.messages.shift();
    if (!old) return;
    s.bucket.joined = null;
    s.ids.delete(old.id);
    s.text = s.messages.length === 0 ? "" : s.text.slice(old.len + SEP.length);
    s.raw = s.messages.length === 0 ? "" : s.raw.slice(old.len + SEP.length);
    s.chars -= old.len;
    totalChars -= old.len;
    totalMessages--;
    s.truncated = true;
  };

  const enforceLimits = (id: string, s: SessionEntry) => {
    let dropped = false;
    while (
      s.messages.length > 1 &&
      (s.messages.length > limits.maxMessagesPerSession || s.chars > limits.maxCharsPerSession)
    ) {
      dropOldest(s);
      dropped = true;
    }
    if (dropped) recheck(id, s);
    // Global bound: take from the least recently updated sessions first. A
    // session emptied this way leaves the map (only its "truncated" mark stays),
    // so the oldest entry always has something to give.
    while (totalChars > limits.maxTotalChars) {
      const first = sessions.entries().next();
      if (first.done) break;
      const [victimId, victim] = first.value;
      if (victimId === id && victim.messages.length <= 1) break;
      dropOldest(victim);
      if (victim.messages.length === 0 && victimId !== id) {
        remove(victimId);
        emptied.add(victimId);
      } else recheck(victimId, victim);
    }
  };

  const touch = (id: string): SessionEntry => {
    let s = sessions.get(id);
    if (s) sessions.delete(id);
    else {
      const truncated = emptied.delete(id);
      s = { messages: [], ids: new Map(), text: "", raw: "", chars: 0, truncated, bucket: place(id) };
    }
    sessions.set(id, s);
    return s;
  };

  const put = (sessionId: string, message: IndexedMessage): boolean => {
    const s = touch(sessionId);
    // One huge message cannot take more than a session's share; its tail is not searchable.
    const clean = message.text.replaceAll(SEP, " ");
    let lower = clean.toLowerCase();
    // Lower-casing rarely changes a text's length (e.g. "İ"); then the snippet shows the lower-cased text.
    let raw = lower.length === clean.length ? clean : lower;
    if (lower.length > limits.maxCharsPerSession) {
      lower = lower.slice(0, limits.maxCharsPerSession);
      raw = raw.slice(0, limits.maxCharsPerSession);
      s.truncated = true;
    }
    const known = s.ids.get(message.id);
    if (known) {
      let offset = 0;
      for (const m of s.messages) {
        if (m === known) break;
        offset += m.len + SEP.length;
      }
      if (s.text.slice(offset, offset + known.len) === lower) return false;
      s.text = s.text.slice(0, offset) + lower + s.text.slice(offset + known.len);
      s.raw = s.raw.slice(0, offset) + raw + s.raw.slice(offset + known.len);
      s.bucket.joined = null;
      s.chars += lower.length - known.len;
      totalChars += lower.length - known.len;
      known.len = lower.length;
      recheck(sessionId, s);
    } else {
      const e: Entry = { id: message.id, len: lower.length };
      s.text = s.messages.length === 0 ? lower : s.text + SEP + lower;
      s.raw = s.messages.length === 0 ? raw : s.raw + SEP + raw;
      s.bucket.joined = null;
      s.messages.push(e);
      s.ids.set(message.id, e);
      s.chars += e.len;
      totalChars += e.len;
      totalMessages++;
    }
    if (cache && !cache.hits.has(sessionId) && lower.includes(cache.keyword)) {
      cache.hits = new Set(cache.hits);
      cache.hits.add(sessionId);
    }
    enforceLimits(sessionId, s);
    return true;
  };

  const remove = (id: string): boolean => {
    const s = sessions.get(id);
    if (!s) return false;
    sessions.delete(id);
    unplace(id, s.bucket);
    totalChars -= s.chars;
    totalMessages -= s.messages.length;
    if (cache?.hits.has(id)) {
      cache.hits = new Set(cache.hits);
      cache.hits.delete(id);
    }
    return true;
  };

  return {
    version,
    addMessage(sessionId, message) {
      if (put(sessionId, message)) bump();
    },
    syncTranscript(sessionId, messages) {
      // Only the newest messages that fit one session's share can stay: putting the older ones too would
      // evict them again at once — on every sync of a long transcript (each streamed reply's end).
      let from = messages.length;
      let chars = 0;
      while (from > 0 && messages.length - from < limits.maxMessagesPerSession) {
        const len = (messages[from - 1] as IndexedMessage).text.length + SEP.length;
        if (from < messages.length && chars + len > limits.maxCharsPerSession) break;
        chars += len;
        from--;
      }
      let changed = false;
      if (from > 0) {
        const s = touch(sessionId);
        changed = !s.truncated;
        s.truncated = true;
      }
      for (let i = from; i < messages.length; i++)
        changed = put(sessionId, messages[i] as IndexedMessage) || changed;
      if (changed) bump();
    },
    removeSession(id) {
      if (remove(id) || emptied.delete(id)) bump();
    },
    retainOnly(keep) {
      let changed = false;
      for (const id of [...emptied]) if (!keep.has(id)) changed = emptied.delete(id) || changed;
      for (const id of [...sessions.keys()]) if (!keep.has(id)) changed = remove(id) || changed;
      if (changed) bump();
    },
    search(keyword) {
      const needle = normalizeKeyword(keyword);
      if (!needle || needle.includes(SEP) || needle.includes(BUCKET_SEP)) return new Set();
      if (cache?.keyword === needle) return cache.hits;
      const hits = new Set<string>();
      // A longer word can only match where its substring matched: when that was
      // a small share of the sessions, check just those; else scan the buckets.
      if (cache && needle.includes(cache.keyword) && cache.hits.size * 8 < sessions.size) {
        for (const id of cache.hits) {
          const s = sessions.get(id);
          if (s && sessionMatches(s, needle)) hits.add(id);
        }
      } else {
        scanAll(needle, hits);
      }
      cache = { keyword: needle, hits };
      return hits;
    },
    snippet(id, keyword, radius = 40) {
      const needle = normalizeKeyword(keyword);
      const s = sessions.get(id);
      if (!s || !needle || needle.includes(SEP)) return null;
      const at = s.text.lastIndexOf(needle);
      if (at < 0) return null;
      // Stay inside the message that holds the match.
      const msgStart = s.text.lastIndexOf(SEP, at) + 1;
      const sepAfter = s.text.indexOf(SEP, at + needle.length);
      const msgEnd = sepAfter < 0 ? s.text.length : sepAfter;
      const from = Math.max(msgStart, at - radius);
      const to = Math.min(msgEnd, at + needle.length + radius);
      const body = s.raw.slice(from, to).replace(/\s+/g, " ").trim();
      return `${from > msgStart ? "…" : ""}${body}${to < msgEnd ? "…" : ""}`;
    },
    isTruncated(id) {
      return sessions.get(id)?.truncated ?? emptied.has(id);
    },
    stats() {
      let truncatedSessions = emptied.size;
      for (const s of sessions.values()) if (s.truncated) truncatedSessions++;
      return { sessions: sessions.size, messages: totalMessages, chars: totalChars, truncatedSessions };
    },
  };
}
