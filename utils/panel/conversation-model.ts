/**
 * The open conversation: which session is selected, the transcripts the
 * worker sends for it, and telling the worker what to watch (again after
 * every `init`, since a restarted worker knows nothing of this panel).
 */
import { computed, effect, type ReadonlySignal, signal } from "@preact/signals";
import type { PanelPatch, PanelState, PanelToWorker, Transcript } from "../panel-messages";
import type { Session } from "../protocol";
import { mergeTranscript, shareMessages } from "./transcript-sharing";

export interface ConversationDeps {
  /** Bumped with every `init`. */
  initCount: ReadonlySignal<number>;
  ready: ReadonlySignal<boolean>;
  post(message: PanelToWorker): void;
  /** Bumped when sessions change (the list's `sessionsVersion`). */
  sessionsVersion: ReadonlySignal<number>;
  session(id: string): ReadonlySignal<Session> | undefined;
  ended(id: string): Session | undefined;
}

export function createConversation(deps: ConversationDeps) {
  const selectedId = signal<string | null>(null);
  const transcripts = signal<ReadonlyMap<string, Transcript>>(new Map());
  const selected = computed<Session | null>(() => {
    deps.sessionsVersion.value;
    const id = selectedId.value;
    if (!id) return null;
    return deps.session(id)?.value ?? deps.ended(id) ?? null;
  });
  const transcript = computed(() => {
    const id = selectedId.value;
    return id ? (transcripts.value.get(id) ?? null) : null;
  });

  effect(() => {
    deps.initCount.value;
    const id = selectedId.value;
    if (!deps.ready.peek()) return;
    deps.post({ type: "watch", session_ids: id ? [id] : [] });
  });

  return {
    selectedId,
    selected,
    transcripts,
    transcript,
    open(id: string) {
      selectedId.value = id;
    },
    close() {
      selectedId.value = null;
    },
    applyInit(state: PanelState) {
      transcripts.value = new Map(state.transcripts.map((t) => [t.session_id, t]));
    },
    applyPatch(p: PanelPatch) {
      if (p.transcripts && p.transcripts.length > 0) {
        const next = new Map(transcripts.value);
        for (const t of p.transcripts) {
          const prev = next.get(t.session_id);
          next.set(t.session_id, shareMessages(prev, mergeTranscript(prev, t)));
        }
        transcripts.value = next;
      }
      // A clicked notification asks to show this session.
      if (p.focus) selectedId.value = p.focus;
    },
  };
}

export type Conversation = ReturnType<typeof createConversation>;
