// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { ConversationInterventions, GlobalInterventionLog } from "@/components/interventions";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { ActivityEntry, PanelToWorker } from "@/utils/panel-messages";
import { AGENT, makeIntervention, makeSession, USER } from "../fixtures/frames";
import { createFakePanelPort, type FakePanelPort, makePanelState } from "../helpers/fake-panel-port";
import { flushed, mount, unmountAll } from "../helpers/render";

const OTHER = { id: "agt_billing", name: "Billing Bot", color: "#16a34a", online: true };
let model: Panel;
let port: FakePanelPort;
afterEach(() => {
  unmountAll();
  model?.[Symbol.dispose]();
});

function open(opts: { user?: unknown; session?: Record<string, unknown>; activity?: ActivityEntry[] } = {}) {
  port = createFakePanelPort();
  model = createPanel(port, { schedule: immediately, tickMs: 0 });
  port.send({
    type: "init",
    state: makePanelState({
      user: (opts.user === undefined ? USER : opts.user) as never,
      sessions: [makeSession(opts.session) as never],
      agents: [AGENT, OTHER],
      activity: opts.activity ?? [],
    }),
  });
  flushed(() => model.conversation.open("ses_abc123xyz"));
  // The parent's Escape handler (the conversation view goes back on Escape).
  let escapes = 0;
  const m = mount(
    <section
      aria-label="Conversation"
      onKeyDown={(e) => {
        if (e.key === "Escape") escapes++;
      }}
    >
      <button type="button" id="outside">
        outside
      </button>
      <ConversationInterventions panel={model} />
    </section>,
  );
  return { root: m.root, escapes: () => escapes };
}

const $ = <T extends Element = HTMLElement>(root: ParentNode, sel: string) => {
  const el = root.querySelector<T & Element>(sel);
  if (!el) throw new Error(`no ${sel}`);
  return el as T;
};
const button = (root: ParentNode, text: string) => {
  const b = [...root.querySelectorAll("button")].find((x) =>
    (x.getAttribute("aria-label") ?? x.textContent ?? "").includes(text),
  );
  if (!b) throw new Error(`no button ${text}`);
  return b;
};
const key = (target: EventTarget, k: string, init: KeyboardEventInit = {}) =>
  flushed(() => {
    target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init }));
  });
const type = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string, ev = "input") =>
  flushed(() => {
    el.value = value;
    el.dispatchEvent(new Event(ev, { bubbles: true }));
  });
const commands = () =>
  port.posted.filter((p): p is Extract<PanelToWorker, { type: "command" }> => p.type === "command");

describe("intervention toolbar", () => {
  it("offers the eight controls with shortcuts in aria-keyshortcuts and tooltips", () => {
    const { root } = open();
    const buttons = [...root.querySelectorAll<HTMLButtonElement>(".iv-toolbar button")];
    expect(buttons.map((b) => b.dataset.action)).toEqual([
      "pause",
      "system_message",
      "override",
      "transfer",
      "cobrowse_start",
      "whisper",
      "take_over",
      "review_mode",
    ]);
    expect(buttons.map((b) => b.getAttribute("aria-keyshortcuts"))).toEqual([
      "Alt+P",
      "Alt+M",
      "Alt+O",
      "Alt+T",
      "Alt+C",
      "Alt+W",
      "Alt+H",
      "Alt+V",
    ]);
    for (const b of buttons) expect(b.title).toContain(b.getAttribute("aria-keyshortcuts"));
    expect($(root, "[role=toolbar]").getAttribute("aria-label")).toBe("Interventions");
  });

  it("moves between the buttons with the arrow keys, Home and End", () => {
    const { root } = open();
    const buttons = [...root.querySelectorAll<HTMLButtonElement>(".iv-toolbar button")];
    buttons[0]?.focus();
    key(buttons[0] as HTMLElement, "ArrowRight");
    expect(document.activeElement).toBe(buttons[1]);
    key(buttons[1] as HTMLElement, "End");
    expect(document.activeElement).toBe(buttons[7]);
    key(buttons[7] as HTMLElement, "ArrowRight");
    expect(document.activeElement).toBe(buttons[0]);
    key(buttons[0] as HTMLElement, "ArrowLeft");
    expect(document.activeElement).toBe(buttons[7]);
    key(buttons[7] as HTMLElement, "Home");
    expect(document.activeElement).toBe(buttons[0]);
  });

  it("shows Resume for a paused session", () => {
    const { root } = open({ session: { status: "paused" } });
    expect(button(root, "Resume").dataset.action).toBe("resume");
  });

  it("gives a viewer no controls and says why once", () => {
    const { root } = open({
      user: { ...USER, roles: ["viewer"], permissions: ["sessions:read"] },
    });
    expect(root.querySelector("[role=toolbar]")).toBeNull();
    const notes = root.querySelectorAll(".iv-viewer-notice");
    expect(notes).toHaveLength(1);
    expect(notes[0]?.textContent).toContain("watch but not intervene");
    expect(notes[0]?.textContent).toContain("viewer");
    key(document.body, "p", { code: "KeyP", altKey: true });
    expect(root.querySelector("[role=dialog]")).toBeNull();
  });
});

describe("reason dialog", () => {
  it("is a labelled modal dialog, focuses the reason, validates, submits on Enter and restores focus", () => {
    const { root } = open();
    const pause = button(root, "Pause");
    pause.focus();
    flushed(() => pause.click());
    const dialog = $(root, "[role=dialog]");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    const title = $(root, `#${dialog.getAttribute("aria-labelledby")}`);
    expect(title.textContent).toBe("Pause the conversation");
    const reason = $<HTMLInputElement>(root, "#iv-reason");
    expect(document.activeElement).toBe(reason);

    key(reason, "Enter");
    expect(commands()).toHaveLength(0);
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect($(root, "#iv-reason-error").textContent).toBe("A reason is required.");
    expect(reason.getAttribute("aria-describedby")).toBe("iv-reason-error");
    type(reason, "no");
    expect($(root, "#iv-reason-error").textContent).toBe("The reason must be 3–500 characters (it has 2).");
    type(reason, "Escalating to senior support");
    expect(root.querySelector("#iv-reason-error")).toBeNull();
    key(reason, "Enter");

    expect(root.querySelector("[role=dialog]")).toBeNull();
    expect(commands()).toHaveLength(1);
    const cmd = commands()[0];
    expect(cmd).toMatchObject({
      action: "pause",
      session_id: "ses_abc123xyz",
      reason: "Escalating to senior support",
    });
    expect(cmd?.cmd_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(document.activeElement).toBe(pause);

    const status = $(root, ".iv-status");
    expect(status.getAttribute("aria-live")).toBe("polite");
    expect(status.textContent).toContain("Pausing — waiting for the gateway");
    expect(pause.getAttribute("aria-disabled")).toBe("true");
    flushed(() =>
      port.send({
        type: "command_status",
        result: { cmd_id: cmd?.cmd_id, status: "acked", intervention_id: "int_abcd1234" },
      }),
    );
    expect($(root, ".iv-status-item").dataset.phase).toBe("succeeded");
    expect(status.textContent).toContain("Paused — logged as int_abcd1234");
  });

  it("keeps the status of a sent command when the conversation is closed and reopened", () => {
    const { root } = open();
    flushed(() => button(root, "Pause").click());
    type($<HTMLInputElement>(root, "#iv-reason"), "Look at this first");
    key($(root, "#iv-reason"), "Enter");
    const id = commands()[0]?.cmd_id;
    unmountAll();
    flushed(() =>
      port.send({
        type: "command_status",
        result: { cmd_id: id, status: "acked", intervention_id: "int_abcd1234" },
      }),
    );
    const again = mount(<ConversationInterventions panel={model} />);
    expect($(again.root, ".iv-status-item").dataset.phase).toBe("succeeded");
  });

  it("cancels on Escape without leaving the conversation, and traps Tab", () => {
    const { root, escapes } = open();
    const msg = button(root, "Send system message");
    msg.focus();
    flushed(() => msg.click());
    const text = $<HTMLTextAreaElement>(root, "#iv-text");
    expect(document.activeElement).toBe(text);
    const buttons = [...$(root, "[role=dialog]").querySelectorAll("button")];
    const last = buttons.at(-1) as HTMLButtonElement;
    last.focus();
    key(last, "Tab");
    expect(document.activeElement).toBe(text);
    key(text, "Tab", { shiftKey: true });
    expect(document.activeElement).toBe(last);
    // Focus moved outside comes back into the dialog.
    flushed(() => (root.querySelector("#outside") as HTMLElement).focus());
    expect(document.activeElement).toBe(text);
    key(last, "Escape");
    expect(root.querySelector("[role=dialog]")).toBeNull();
    expect(escapes()).toBe(0);
    expect(commands()).toHaveLength(0);
    expect(document.activeElement).toBe(msg);
  });

  it("sends a system message and an override with their text; Shift+Enter does not submit", () => {
    const { root } = open();
    flushed(() => button(root, "Send system message").click());
    const text = $<HTMLTextAreaElement>(root, "#iv-text");
    type(text, "A specialist joins in a minute.");
    key(text, "Enter", { shiftKey: true });
    expect(root.querySelector("[role=dialog]")).not.toBeNull();
    type($<HTMLInputElement>(root, "#iv-reason"), "Keep the user informed");
    key(text, "Enter");
    expect(commands().at(-1)).toMatchObject({
      action: "system_message",
      payload: { text: "A specialist joins in a minute." },
    });

    flushed(() => button(root, "Override agent response").click());
    expect($(root, ".iv-override-target").textContent).toContain("next reply");
    key($(root, "#iv-text"), "Enter");
    expect($(root, "#iv-text-error").textContent).toBe("Write the text to send.");
    type($<HTMLTextAreaElement>(root, "#iv-text"), "Your refund was approved.");
    type($<HTMLInputElement>(root, "#iv-reason"), "Policy correction");
    key($(root, "#iv-reason"), "Enter");
    expect(commands().at(-1)).toMatchObject({
      action: "override",
      payload: { text: "Your refund was approved." },
    });
  });

  it("whispers an instruction to the agent, saying the user never sees it", () => {
    const { root } = open();
    flushed(() => button(root, "Whisper to the agent").click());
    expect($(root, "[role=dialog]").getAttribute("data-action")).toBe("whisper");
    expect($(root, "#iv-dialog-desc").textContent).toContain("the user never sees it");
    expect($(root, "label[for=iv-text]").textContent).toContain("the user never sees it");
    key($(root, "#iv-text"), "Enter");
    expect($(root, "#iv-text-error").textContent).toBe("Write the text to send.");
    type($<HTMLTextAreaElement>(root, "#iv-text"), "Offer the 20 % retention discount");
    type($<HTMLInputElement>(root, "#iv-reason"), "The customer is about to cancel");
    key($(root, "#iv-reason"), "Enter");
    expect(commands().at(-1)).toMatchObject({
      action: "whisper",
      reason: "The customer is about to cancel",
      payload: { text: "Offer the 20 % retention discount" },
    });
  });

  it("take-over: the holder gets a compose box whose replies go out as takeover_reply, and Hand back", () => {
    const { root } = open({ session: { taken_over_by: { id: USER.id, name: USER.name } } });
    const toggle = $<HTMLButtonElement>(root, ".iv-control-takeover");
    expect(toggle.dataset.action).toBe("hand_back");
    expect(toggle.dataset.pressed).toBe("true");
    const box = $<HTMLTextAreaElement>(root, "#iv-takeover-text");
    key(box, "Enter");
    expect($(root, "#iv-takeover-error").textContent).toBe("Write the text to send.");
    type(box, "Hi, this is Dana — I can help.");
    key(box, "Enter", { shiftKey: true });
    expect(commands().filter((c) => c.action === "takeover_reply")).toHaveLength(0);
    key(box, "Enter");
    expect(commands().at(-1)).toMatchObject({
      action: "takeover_reply",
      payload: { text: "Hi, this is Dana — I can help." },
    });
    expect(($(root, "#iv-takeover-text") as HTMLTextAreaElement).value).toBe("");
  });

  it("take-over held by another supervisor: named, and Take over is disabled", () => {
    const { root } = open({ session: { taken_over_by: { id: "sup_other", name: "Olu Other" } } });
    expect($(root, ".iv-takeover-holder").textContent).toContain("Taken over by Olu Other");
    expect(root.querySelector(".iv-takeover-compose")).toBeNull();
    const toggle = $<HTMLButtonElement>(root, ".iv-control-takeover");
    expect(toggle.dataset.action).toBe("take_over");
    expect(toggle.disabled).toBe(true);
    expect(toggle.title).toContain("Olu Other has taken over");
  });

  it("names the streaming reply as the one being replaced", () => {
    const { root } = open({ session: { status: "streaming" } });
    flushed(() =>
      port.send({
        type: "patch",
        patch: {
          transcripts: [
            {
              session_id: "ses_abc123xyz",
              messages: [],
              streaming: { message_id: "msg_7", phase: "streaming", text: "Your parcel is" },
              loaded: true,
            },
          ],
        },
      }),
    );
    flushed(() => button(root, "Override agent response").click());
    const target = $(root, ".iv-override-target");
    expect(target.dataset.target).toBe("current");
    expect(target.textContent).toContain("writing now");
    expect(target.textContent).toContain("Your parcel is");
  });

  it("transfers to another agent or the human queue", () => {
    const { root } = open();
    flushed(() => button(root, "Transfer").click());
    const select = $<HTMLSelectElement>(root, "#iv-target");
    expect(document.activeElement).toBe(select);
    const options = [...select.options].map((o) => o.value);
    expect(options).toEqual(["", "human", "agt_billing"]);
    type($<HTMLInputElement>(root, "#iv-reason"), "Billing question");
    key($(root, "#iv-reason"), "Enter");
    expect($(root, "#iv-target-error").textContent).toBe("Choose an agent or the human handoff queue.");
    type(select, "agt_billing", "change");
    key($(root, "#iv-reason"), "Enter");
    expect(commands().at(-1)).toMatchObject({ action: "transfer", payload: { agent_id: "agt_billing" } });

    flushed(() => button(root, "Transfer").click());
    type($<HTMLSelectElement>(root, "#iv-target"), "human", "change");
    type($<HTMLInputElement>(root, "#iv-reason"), "Needs a person");
    key($(root, "#iv-reason"), "Enter");
    expect(commands().at(-1)).toMatchObject({ action: "transfer", payload: { queue: "human" } });
  });

  it("co-browse: start, then a clear indicator, then Stop", () => {
    const { root } = open();
    expect($(root, ".iv-cobrowse").dataset.on).toBe("false");
    flushed(() => button(root, "Start co-browse").click());
    type($<HTMLInputElement>(root, "#iv-reason"), "Quality review");
    key($(root, "#iv-reason"), "Enter");
    const cmd = commands().at(-1);
    expect(cmd).toMatchObject({ action: "cobrowse_start" });
    expect(cmd?.payload).toBeUndefined();
    flushed(() =>
      port.send({
        type: "command_status",
        result: { cmd_id: cmd?.cmd_id, status: "acked", intervention_id: "int_c0b00001" },
      }),
    );
    const ind = $(root, ".iv-cobrowse");
    expect(ind.dataset.on).toBe("true");
    expect(ind.textContent).toContain("Co-browsing silently");
    expect(button(root, "Stop co-browse").dataset.action).toBe("cobrowse_stop");
  });

  it("shows the gateway's refusal in a supervisor's words, with retry using the same cmd_id", () => {
    const { root } = open();
    const cases: [string, number | undefined, string][] = [
      ["FORBIDDEN", undefined, "You don't have permission to intervene"],
      ["SESSION_ENDED", undefined, "Session has already ended"],
      ["RATE_LIMITED", 2400, "Too many actions — try again in 3 s"],
    ];
    for (const [code, retry, words] of cases) {
      flushed(() => button(root, "Send system message").click());
      type($<HTMLTextAreaElement>(root, "#iv-text"), "Hello");
      type($<HTMLInputElement>(root, "#iv-reason"), "Greeting");
      key($(root, "#iv-reason"), "Enter");
      const id = commands().at(-1)?.cmd_id;
      flushed(() =>
        port.send({
          type: "command_status",
          result: {
            cmd_id: id,
            status: "failed",
            code,
            message: "raw",
            ...(retry ? { retry_after_ms: retry } : {}),
          },
        }),
      );
      const item = $(root, ".iv-status-item");
      expect(item.dataset.phase).toBe("failed");
      expect(item.textContent).toContain(`System message failed: ${words}`);
    }
    const before = commands().length;
    flushed(() => button(root, "Retry").click());
    expect(commands()).toHaveLength(before + 1);
    expect($(root, ".iv-status-item").dataset.phase).toBe("pending");
  });
});

describe("shortcuts", () => {
  it("open the dialogs from the keyboard but not while typing", () => {
    const { root } = open();
    key(document.body, "µ", { code: "KeyM", altKey: true });
    expect($(root, "[role=dialog]").dataset.action).toBe("system_message");
    // Inside the dialog, Alt+P types rather than switching dialogs.
    key($(root, "#iv-text"), "π", { code: "KeyP", altKey: true });
    expect($(root, "[role=dialog]").dataset.action).toBe("system_message");
    key($(root, "#iv-text"), "Escape");
    const input = document.createElement("input");
    document.body.append(input);
    key(input, "π", { code: "KeyP", altKey: true });
    expect(root.querySelector("[role=dialog]")).toBeNull();
    input.remove();
    key(document.body, "π", { code: "KeyP", altKey: true });
    expect($(root, "[role=dialog]").dataset.action).toBe("pause");
    key(document.body, "Escape");
  });
});

describe("intervention log", () => {
  const entry = (o: Record<string, unknown>): ActivityEntry => ({
    kind: "intervention",
    at: String(o.timestamp),
    intervention: makeIntervention(o) as never,
  });
  const activity = [
    entry({
      intervention_id: "int_00000001",
      timestamp: "2026-06-24T16:00:00.000Z",
      reason: "First <b>one</b>",
    }),
    entry({
      intervention_id: "int_00000002",
      timestamp: "2026-06-24T17:00:00.000Z",
      session_id: "ses_other",
      type: "transfer",
      payload: { agent_id: "agt_billing" },
    }),
    entry({
      intervention_id: "int_00000003",
      timestamp: "2026-06-24T16:30:00.000Z",
      type: "override",
      payload: { text: "Better reply" },
    }),
  ];

  it("per session: newest first, local time with the ISO in datetime/title, text never as HTML", () => {
    const { root } = open({ activity });
    const toggle = button(root, "Intervention log");
    expect(toggle.textContent).toBe("Intervention log (2)");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    flushed(() => toggle.click());
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const items = [...root.querySelectorAll<HTMLElement>(".iv-log-item")];
    expect(items.map((i) => i.dataset.interventionId)).toEqual(["int_00000003", "int_00000001"]);
    const time = $(items[0] as HTMLElement, "time");
    expect(time.getAttribute("datetime")).toBe("2026-06-24T16:30:00.000Z");
    expect(time.getAttribute("title")).toBe("2026-06-24T16:30:00.000Z");
    expect(time.textContent).toBe(
      new Date("2026-06-24T16:30:00.000Z").toLocaleString(undefined, {
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      }),
    );
    expect(items[0]?.textContent).toContain("Override");
    expect(items[0]?.textContent).toContain("“Better reply”");
    expect(items[0]?.textContent).toContain("admin_xyz789");
    expect(items[1]?.querySelector("b")).toBeNull();
    expect(items[1]?.textContent).toContain("First <b>one</b>");
  });

  it("switches between this session and all sessions with tabs (arrow keys too)", () => {
    const { root } = open({ activity });
    flushed(() => button(root, "Intervention log").click());
    const tabs = [...root.querySelectorAll<HTMLButtonElement>("[role=tab]")];
    expect(tabs.map((t) => t.textContent)).toEqual(["This session (2)", "All sessions (3)"]);
    expect(tabs[0]?.getAttribute("aria-selected")).toBe("true");
    flushed(() => tabs[1]?.click());
    const ids = () =>
      [...root.querySelectorAll<HTMLElement>(".iv-log-item")].map((i) => i.dataset.interventionId);
    expect(ids()).toEqual(["int_00000002", "int_00000003", "int_00000001"]);
    expect($(root, "[role=tabpanel]").getAttribute("aria-labelledby")).toBe("iv-log-tab-all");
    key(tabs[1] as HTMLElement, "ArrowLeft");
    expect(ids()).toEqual(["int_00000003", "int_00000001"]);
    expect(document.activeElement?.id).toBe("iv-log-tab-session");
  });

  it("updates live from intervention events and lists all sessions in the global view", () => {
    open({ activity });
    const m = mount(<GlobalInterventionLog panel={model} />);
    const ids = () =>
      [...m.root.querySelectorAll<HTMLElement>(".iv-log-item")].map((i) => i.dataset.interventionId);
    expect(ids()).toEqual(["int_00000002", "int_00000003", "int_00000001"]);
    expect(m.root.textContent).toContain("to Billing Bot");
    flushed(() =>
      port.send({
        type: "patch",
        patch: {
          activity: [entry({ intervention_id: "int_00000004", timestamp: "2026-06-24T18:00:00.000Z" })],
        },
      }),
    );
    expect(ids()[0]).toBe("int_00000004");
    // What the agent runtime did with it, once it answered.
    const outcome = (id: string) =>
      m.root.querySelector(`[data-intervention-id="${id}"] .iv-log-outcome`)?.textContent ?? null;
    expect(outcome("int_00000004")).toBeNull();
    flushed(() =>
      port.send({
        type: "patch",
        patch: {
          activity: [
            {
              kind: "intervention_result",
              at: "2026-06-24T18:00:01.000Z",
              session_id: "ses_abc123xyz",
              result: { intervention_id: "int_00000004", action: "pause", outcome: "applied" },
            },
            {
              kind: "intervention_result",
              at: "2026-06-24T18:00:02.000Z",
              session_id: "ses_abc123xyz",
              result: {
                intervention_id: "int_00000002",
                action: "pause",
                outcome: "failed",
                code: "RUNTIME_TIMEOUT",
              },
            },
          ],
        },
      }),
    );
    expect(outcome("int_00000004")).toBe("✓ Applied by the agent");
    expect(outcome("int_00000002")).toBe("✕ Not applied: the agent runtime did not confirm it in time");
    flushed(() => button(m.root, "ses_other").click());
    expect(model.conversation.selectedId.value).toBe("ses_other");
  });
});
