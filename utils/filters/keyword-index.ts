/**
 * A bounded, incremental index of message text per session, for the keyword
 * filter.
 *
 *   const index = createKeywordIndex({ maxMessagesPerSession: 200 });
 *   index.addMessage("ses_1", { id: "msg_9", text: "Where is my refund?" });
 *   index.syncTranscript("ses_1", transcript.messages); // adds only unseen ids
 *   index.search("refund");      // → ReadonlySet<session_id>
 *   index.isTruncated("ses_1");  // older messages fell out of the index
 *   index.removeSession("ses_1");
 *   index.version.value          // bumps on every change (signals dependency)
 *
 * Memory is bounded three ways: messages per session, characters per session
 * (oldest messages of that session go first), and characters in total (oldest
 * messages of the least recently updated session go first). A session that
 * lost messages this way is flagged `isTruncated`, so the UI can say the match
 * covers only its recent messages.
 *
 * Searching is a literal, case-insensitive substring scan of the lower-cased
 * texts held (no regex). The last result is kept and updated as messages
 * arrive or fall out, so a live keyword costs O(new message) per message, and
 * typing more letters scans only the sessions that matched the shorter word.
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
  stats(): KeywordIndexStats;
  readonly version: ReadonlySignal<number>;
}

interface Entry {
  id: string;
  lower: string;
  chars: number;
}

interface SessionEntry {
  messages: Entry[];
  ids: Map<string, Entry>;
  chars: number;
  truncated: boolean;
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

  const bump = () => {
    version.value++;
  };

  const sessionMatches = (s: SessionEntry, needle: string) =>
    s.messages.some((m) => m.lower.includes(needle));

  /** After messages left a session, recheck its place in the cached result. */
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
    s.ids.delete(old.id);
    s.chars -= old.chars;
    totalChars -= old.chars;
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
    // Global bound: take from the least recently updated sessions first.
    while (totalChars > limits.maxTotalChars) {
      let victim: [string, SessionEntry] | null = null;
      for (const e of sessions) {
        if (e[1].messages.length > 0 && (e[0] !== id || s.messages.length > 1)) {
          victim = e;
          break;
        }
      }
      if (!victim) break;
      dropOldest(victim[1]);
      recheck(victim[0], victim[1]);
    }
  };

  const touch = (id: string): SessionEntry => {
    let s = sessions.get(id);
    if (s) sessions.delete(id);
    else s = { messages: [], ids: new Map(), chars: 0, truncated: false };
    sessions.set(id, s);
    return s;
  };

  const put = (sessionId: string, message: IndexedMessage): boolean => {
    const s = touch(sessionId);
    // One huge message cannot take more than a session's share; its tail is not searchable.
    let lower = message.text.toLowerCase();
    if (lower.length > limits.maxCharsPerSession) {
      lower = lower.slice(0, limits.maxCharsPerSession);
      s.truncated = true;
    }
    const known = s.ids.get(message.id);
    if (known) {
      if (known.lower === lower) return false;
      s.chars += lower.length - known.chars;
      totalChars += lower.length - known.chars;
      known.lower = lower;
      known.chars = lower.length;
      recheck(sessionId, s);
    } else {
      const e: Entry = { id: message.id, lower, chars: lower.length };
      s.messages.push(e);
      s.ids.set(message.id, e);
      s.chars += e.chars;
      totalChars += e.chars;
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
      let changed = false;
      for (const m of messages) changed = put(sessionId, m) || changed;
      if (changed) bump();
    },
    removeSession(id) {
      if (remove(id)) bump();
    },
    retainOnly(keep) {
      let changed = false;
      for (const id of [...sessions.keys()]) if (!keep.has(id)) changed = remove(id) || changed;
      if (changed) bump();
    },
    search(keyword) {
      const needle = normalizeKeyword(keyword);
      if (!needle) return new Set();
      if (cache?.keyword === needle) return cache.hits;
      // A longer word can only match where its substring matched.
      const candidates: Iterable<string> =
        cache && needle.includes(cache.keyword) ? cache.hits : sessions.keys();
      const hits = new Set<string>();
      for (const id of candidates) {
        const s = sessions.get(id);
        if (s && sessionMatches(s, needle)) hits.add(id);
      }
      cache = { keyword: needle, hits };
      return hits;
    },
    isTruncated(id) {
      return sessions.get(id)?.truncated ?? false;
    },
    stats() {
      let truncatedSessions = 0;
      for (const s of sessions.values()) if (s.truncated) truncatedSessions++;
      return { sessions: sessions.size, messages: totalMessages, chars: totalChars, truncatedSessions };
    },
  };
}
