// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { ConversationView } from "@/components/conversation-view";
import { MessageView } from "@/components/message-view";
import { TRANSCRIPT_WINDOW } from "@/components/transcript-window";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { Transcript } from "@/utils/panel-messages";
import type { Message } from "@/utils/protocol";
import { makeMessage, makeSession } from "../fixtures/frames";
import { createFakePanelPort, type FakePanelPort, makePanelState } from "../helpers/fake-panel-port";
import { flushed, mount, unmountAll } from "../helpers/render";

let model: Panel;
let port: FakePanelPort;
afterEach(() => {
  unmountAll();
  model?.[Symbol.dispose]();
});

function openConversation(channel = "web") {
  port = createFakePanelPort();
  model = createPanel(port, { schedule: immediately, tickMs: 0 });
  port.send({ type: "init", state: makePanelState({ sessions: [makeSession({ channel }) as never] }) });
  flushed(() => model.conversation.open("ses_abc123xyz"));
  let backs = 0;
  const m = mount(<ConversationView panel={model} onBack={() => backs++} />);
  return { m, backs: () => backs };
}

function transcript(t: Partial<Transcript>) {
  flushed(() =>
    port.send({
      type: "patch",
      patch: {
        transcripts: [{ session_id: "ses_abc123xyz", messages: [], streaming: null, loaded: true, ...t }],
      },
    }),
  );
}

const msg = (o: Record<string, unknown>) => makeMessage(o) as Message;

describe("conversation view", () => {
  it("shows a loading state, then the transcript in a polite log", () => {
    const { m } = openConversation();
    expect(m.root.querySelector(".transcript-loading")?.textContent).toContain("Loading");
    transcript({ messages: [msg({}), msg({ id: "m2", role: "agent", text: "Sure", format: "markdown" })] });
    const log = m.root.querySelector('[role="log"]');
    expect(log?.getAttribute("aria-live")).toBe("polite");
    expect(log?.querySelectorAll("[data-message-id]")).toHaveLength(2);
    expect(m.root.querySelector(".transcript-loading")).toBeNull();
    expect(m.root.querySelector(".conversation-toolbar")?.getAttribute("data-slot")).toBe("interventions");
  });

  it("goes idle → thinking → streaming → complete, and the final text replaces the streamed one", () => {
    const { m } = openConversation();
    const state = () => m.root.querySelector<HTMLElement>(".transcript")?.dataset.streamState;
    transcript({ messages: [msg({})] });
    expect(state()).toBe("idle");
    transcript({ messages: [msg({})], streaming: { message_id: "m9", phase: "thinking", text: "" } });
    expect(state()).toBe("thinking");
    expect(m.root.querySelector(".thinking-dots")).not.toBeNull();
    transcript({
      messages: [msg({})],
      streaming: { message_id: "m9", phase: "streaming", text: "Let me **che" },
    });
    expect(state()).toBe("streaming");
    const bubble = m.root.querySelector(".streaming-reply");
    expect(bubble?.textContent).toContain("Let me");
    expect(bubble?.closest('[role="log"]')).toBeNull(); // tokens are not announced
    transcript({
      messages: [msg({})],
      streaming: { message_id: "m9", phase: "streaming", text: "Let me **check** that." },
    });
    expect(m.root.querySelector(".streaming-reply strong")?.textContent).toBe("check");
    transcript({
      messages: [
        msg({}),
        msg({ id: "m9", role: "agent", format: "markdown", text: "Let me **check** that now." }),
      ],
      streaming: null,
    });
    expect(state()).toBe("complete");
    expect(m.root.querySelector(".streaming-reply")).toBeNull();
    const final = m.root.querySelector('[data-message-id="m9"]');
    expect(final?.getAttribute("data-stream-state")).toBe("complete");
    expect(final?.querySelector(".message-body")?.textContent).toBe("Let me check that now.");
  });

  it("renders the newest messages of a long transcript; Show earlier reveals more and focus stays in the transcript", () => {
    const { m } = openConversation();
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        msg({ id: `m${i}`, text: `line ${i}`, role: i % 2 ? "agent" : "user" }),
      );
    const ids = () =>
      [...m.root.querySelectorAll<HTMLElement>(".messages .message")].map((e) => e.dataset.messageId);
    const button = () => m.root.querySelector<HTMLButtonElement>("button.show-earlier");
    transcript({ messages: many(100) });
    expect(ids()).toHaveLength(TRANSCRIPT_WINDOW);
    expect(ids().at(-1)).toBe("m99");
    expect(ids()[0]).toBe(`m${100 - TRANSCRIPT_WINDOW}`);
    expect(button()?.textContent).toBe(`Show earlier messages (${100 - TRANSCRIPT_WINDOW} more)`);
    // Following the live end: a new message keeps the window at the newest ones.
    transcript({ messages: many(101) });
    expect(ids()).toHaveLength(TRANSCRIPT_WINDOW);
    expect(ids().at(-1)).toBe("m100");
    button()?.focus();
    flushed(() => button()?.click());
    expect(ids()).toHaveLength(2 * TRANSCRIPT_WINDOW);
    expect(ids().at(-1)).toBe("m100");
    expect(document.activeElement).toBe(button()); // still there, still focused
    // Revealed messages stay while more arrive.
    transcript({ messages: many(102) });
    expect(ids()).toHaveLength(2 * TRANSCRIPT_WINDOW + 1);
    while (button()) flushed(() => button()?.click());
    expect(ids()).toHaveLength(102);
    expect(ids()[0]).toBe("m0");
    expect(document.activeElement).toBe(m.root.querySelector(".transcript")); // focus not lost with the button
  });

  it("goes back on Escape", () => {
    const { m, backs } = openConversation();
    m.root
      .querySelector(".transcript")
      ?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(backs()).toBe(1);
  });

  it("uses the channel's own formatting (WhatsApp)", () => {
    const { m } = openConversation("whatsapp");
    transcript({ messages: [msg({ text: "*bold* _it_ ~gone~" })] });
    const body = m.root.querySelector(".message-body");
    expect(body?.querySelector("strong")?.textContent).toBe("bold");
    expect(body?.querySelector("em")?.textContent).toBe("it");
    expect(body?.querySelector("del")?.textContent).toBe("gone");
  });

  it("says when the session has ended", () => {
    const { m } = openConversation();
    transcript({ messages: [msg({})] });
    flushed(() => port.send({ type: "patch", patch: { removed: ["ses_abc123xyz"] } }));
    expect(m.root.querySelector(".conversation-ended")?.textContent).toContain("ended");
  });

  it("says why it ended when its agent runtime did not come back (runtime_lost, issue 19)", () => {
    const { m } = openConversation();
    transcript({ messages: [msg({})] });
    flushed(() =>
      port.send({
        type: "patch",
        patch: {
          removed: ["ses_abc123xyz"],
          activity: [
            {
              kind: "session",
              at: new Date().toISOString(),
              session_id: "ses_abc123xyz",
              what: "ended",
              detail: "runtime_lost",
            },
          ],
        },
      }),
    );
    expect(m.root.querySelector(".conversation-ended")?.textContent).toBe(
      "This session has ended: its agent runtime did not come back in time (runtime_lost).",
    );
  });
});

describe("message view", () => {
  const show = (m: Message, channel?: "web") =>
    mount(
      <div>
        <MessageView message={m} channel={channel} userName="Alex" agentName="Support Bot" />
      </div>,
    ).root;

  it("renders each media kind inline with type, size and a safe download link", () => {
    const root = show(
      msg({
        attachments: [
          {
            kind: "image",
            name: "parcel.jpg",
            mime: "image/jpeg",
            size: 20480,
            url: "https://cdn.example/p.jpg",
            thumbnail_url: "https://cdn.example/p_t.jpg",
          },
          {
            kind: "document",
            name: "invoice.pdf",
            mime: "application/pdf",
            size: 1_468_006,
            url: "https://cdn.example/i.pdf",
          },
          { kind: "audio", name: "note.ogg", mime: "audio/ogg", size: 512, url: "https://cdn.example/n.ogg" },
          {
            kind: "video",
            name: "clip.mp4",
            mime: "video/mp4",
            size: 3_000_000,
            url: "https://cdn.example/c.mp4",
          },
          { kind: "image", name: "evil.png", mime: "image/png", size: 1, url: "javascript:alert(1)" },
        ],
      }),
    );
    const figs = [...root.querySelectorAll<HTMLElement>(".attachment")];
    expect(figs.map((f) => f.dataset.kind)).toEqual(["image", "document", "audio", "video", "image"]);
    expect(figs[0]?.querySelector("img")?.getAttribute("src")).toBe("https://cdn.example/p_t.jpg");
    expect(figs[0]?.querySelector(".attachment-type")?.textContent).toBe("Image · image/jpeg · 20 KB");
    expect(figs[1]?.querySelector(".attachment-type")?.textContent).toBe(
      "Document · application/pdf · 1.4 MB",
    );
    expect(figs[2]?.querySelector("audio")?.getAttribute("src")).toBe("https://cdn.example/n.ogg");
    expect(figs[3]?.querySelector("video")?.getAttribute("src")).toBe("https://cdn.example/c.mp4");
    for (const f of figs.slice(0, 4)) {
      const a = f.querySelector("a.attachment-download");
      expect(a?.getAttribute("href")).toMatch(/^https:\/\/cdn\.example\//);
      expect(a?.getAttribute("rel")).toBe("noopener noreferrer");
      expect(a?.hasAttribute("download")).toBe(true);
    }
    expect(figs[4]?.querySelector("img, a")).toBeNull();
    expect(figs[4]?.textContent).toContain("link unavailable");
  });

  it("shows voice transcripts with speaker, low confidence and interim text that firms up", () => {
    const interim = show(
      msg({ text: "I want to cancel", voice: { speaker: "caller", confidence: 0.55, is_final: false } }),
    );
    const li = interim.querySelector(".message");
    expect(li?.classList.contains("interim")).toBe(true);
    expect(li?.querySelector(".message-author")?.textContent).toBe("caller");
    expect(li?.querySelector(".voice-confidence")?.textContent).toBe("⚠ low 55%");
    expect(li?.querySelector(".voice-confidence")?.getAttribute("data-low")).toBe("true");
    expect(li?.querySelector(".voice-interim")).not.toBeNull();
    const final = show(
      msg({
        text: "I want to cancel my order",
        voice: { speaker: "caller", confidence: 0.93, is_final: true },
      }),
    );
    expect(final.querySelector(".message")?.classList.contains("interim")).toBe(false);
    // Every voice line shows its confidence, quietly when it is not low.
    expect(final.querySelector(".voice-confidence")?.textContent).toBe("93%");
    expect(final.querySelector(".voice-confidence")?.hasAttribute("data-low")).toBe(false);
    expect(final.querySelector(".voice-interim")).toBeNull();
  });

  it("styles system messages by kind", () => {
    for (const [kind, label] of [
      ["user_joined", "Joined"],
      ["agent_transferred", "Transferred"],
      ["handoff_initiated", "Handoff"],
      ["paused", "Paused"],
    ] as const) {
      const root = show(msg({ role: "system", system_kind: kind, text: "Something happened" }));
      const el = root.querySelector(".message-system");
      expect(el?.getAttribute("data-system-kind")).toBe(kind);
      expect(el?.querySelector(".system-kind")?.textContent).toBe(label);
    }
  });

  it("shows a whisper apart, labelled as not shown to the user, its text never as HTML", () => {
    const root = show(msg({ role: "system", whisper: true, text: "Offer the <b>20 %</b> discount" }));
    const el = root.querySelector(".message-whisper");
    expect(el?.getAttribute("data-whisper")).toBe("true");
    expect(el?.querySelector(".whisper-label")?.textContent).toBe("Whisper — not shown to the user");
    expect(el?.querySelector(".whisper-text")?.textContent).toBe("Offer the <b>20 %</b> discount");
    expect(el?.querySelector("b")).toBeNull();
  });

  it("shows HTML in a text message as literal text, and marks overrides and latency", () => {
    const root = show(
      msg({ role: "agent", text: "<img src=x onerror=alert(1)>", latency_ms: 820, overridden: true }),
    );
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector(".message-body")?.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(root.querySelector(".message-latency")?.textContent).toBe("820 ms");
    expect(root.querySelector(".overridden-tag")).not.toBeNull();
  });
});

describe("every message kind through the one markdown renderer", () => {
  const show = (m: Message) =>
    mount(
      <div>
        <MessageView message={m} userName="Alex" agentName="Support Bot" />
      </div>,
    ).root;

  it("formats overrides, supervisor replies, whispers and system notes written in the panel", () => {
    const cases: Message[] = [
      msg({ id: "m1", role: "agent", format: "text", overridden: true, text: "**Override** with `code`" }),
      msg({ id: "m2", role: "supervisor", format: "text", text: "**Override** with `code`" }),
      msg({ id: "m3", role: "system", format: "text", whisper: true, text: "**Override** with `code`" }),
      msg({
        id: "m4",
        role: "system",
        format: "text",
        system_kind: "notice",
        text: "**Override** with `code`",
      }),
    ];
    for (const m of cases) {
      const root = show(m);
      expect(root.querySelector(".md strong")?.textContent, m.id).toBe("Override");
      expect(root.querySelector(".md code")?.textContent, m.id).toBe("code");
      expect(root.textContent, m.id).not.toContain("**");
    }
  });

  it("keeps an end user's plain text plain", () => {
    const root = show(msg({ role: "user", format: "text", text: "**not bold** 2 * 3" }));
    expect(root.querySelector(".md strong")).toBeNull();
    expect(root.querySelector(".message-body")?.textContent).toBe("**not bold** 2 * 3");
  });
});
