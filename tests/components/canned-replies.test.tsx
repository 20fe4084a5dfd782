// @vitest-environment happy-dom
/** Canned replies in the intervention fields (shortcut, picker, filtered by action) and the management screen. */
import { signal } from "@preact/signals";
import { afterEach, describe, expect, it } from "vitest";
import { CannedContext, CannedManageContext } from "@/components/canned/canned-context";
import { CannedView } from "@/components/canned/canned-view";
import { ConversationInterventions } from "@/components/interventions";
import {
  type CannedModel,
  type CannedReply,
  type CannedStore,
  createCannedModel,
} from "@/utils/canned-replies";
import { createPanel, immediately, type Panel } from "@/utils/panel";
import type { PanelToWorker } from "@/utils/panel-messages";
import { AGENT, makeSession, USER } from "../fixtures/frames";
import { createFakePanelPort, type FakePanelPort, makePanelState } from "../helpers/fake-panel-port";
import { flushed, mount, unmountAll } from "../helpers/render";
import { until } from "../helpers/until";

const REPLIES: CannedReply[] = [
  {
    id: "a",
    title: "Refund",
    text: "Your refund is on its way.",
    kinds: ["override", "system_message"],
    shortcut: "/refund",
  },
  {
    id: "b",
    title: "Human joins",
    text: "A colleague joins now.",
    kinds: ["system_message", "override"],
    shortcut: "/human",
  },
  { id: "c", title: "Retention", text: "Offer the 20 % discount.", kinds: ["whisper"], shortcut: "/retain" },
];

/** An in-memory store (the IndexedDB one is covered by tests/unit/canned-replies.test.ts). */
function memoryStore(initial: CannedReply[]): CannedStore {
  let items = [...initial];
  return {
    userId: "u1",
    list: async () => ({ replies: [...items], problems: [] }),
    save: async (r) => {
      items = items.some((x) => x.id === r.id) ? items.map((x) => (x.id === r.id ? r : x)) : [...items, r];
      return r;
    },
    remove: async (id) => {
      items = items.filter((x) => x.id !== id);
    },
    close: () => {},
  };
}

let model: Panel;
let port: FakePanelPort;
let canned: CannedModel;
afterEach(() => {
  unmountAll();
  model?.[Symbol.dispose]();
  canned?.[Symbol.dispose]();
});

async function makeCanned(replies: CannedReply[] = REPLIES) {
  let n = 0;
  canned = createCannedModel({
    userId: signal("u1"),
    open: async () => memoryStore(replies),
    newId: () => `n${++n}`,
  });
  await until('canned.status.value === "ready"', () => canned.status.value === "ready");
  return canned;
}

let manageCalls = 0;
async function open(session?: Record<string, unknown>, replies?: CannedReply[]) {
  manageCalls = 0;
  await makeCanned(replies);
  port = createFakePanelPort();
  model = createPanel(port, { schedule: immediately, tickMs: 0 });
  port.send({
    type: "init",
    state: makePanelState({
      user: USER as never,
      sessions: [makeSession(session) as never],
      agents: [AGENT],
    }),
  });
  flushed(() => model.conversation.open("ses_abc123xyz"));
  const m = mount(
    <CannedContext.Provider value={canned}>
      <CannedManageContext.Provider value={() => manageCalls++}>
        <ConversationInterventions panel={model} />
      </CannedManageContext.Provider>
    </CannedContext.Provider>,
  );
  return m.root;
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
const key = (target: EventTarget, k: string, init: KeyboardEventInit = {}) => {
  let ev: KeyboardEvent | null = null;
  flushed(() => {
    ev = new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(ev);
  });
  return ev as unknown as KeyboardEvent;
};
const type = (el: HTMLInputElement | HTMLTextAreaElement, value: string) =>
  flushed(() => {
    el.value = value;
    el.setSelectionRange?.(value.length, value.length);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
const commands = () =>
  port.posted.filter((p): p is Extract<PanelToWorker, { type: "command" }> => p.type === "command");
const options = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>("[role=option]")];

describe("canned replies in the intervention dialog", () => {
  it("expands /shortcut + Tab or Enter in the override text, never sends, and only for replies allowed there", async () => {
    const root = await open();
    flushed(() => button(root, "Override agent response").click());
    const text = $<HTMLTextAreaElement>(root, "#iv-text");
    type(text, "/refund");
    expect(key(text, "Tab").defaultPrevented).toBe(true);
    expect(text.value).toBe("Your refund is on its way.");
    type(text, "Hello. /human");
    key(text, "Enter");
    expect(text.value).toBe("Hello. A colleague joins now.");
    // A whisper-only reply is not offered for an override: Enter goes to the dialog (which asks for the reason).
    type(text, "/retain");
    key(text, "Tab");
    expect(text.value).toBe("/retain");
    expect(commands()).toEqual([]);
    expect(root.querySelector("[role=dialog]")).not.toBeNull();
    // The reason is still required, then the inserted text is what is sent.
    type(text, "/refund");
    key(text, "Enter");
    key(text, "Enter");
    expect($(root, "#iv-reason-error").textContent).toBe("A reason is required.");
    type($<HTMLInputElement>(root, "#iv-reason"), "Policy correction");
    key($(root, "#iv-reason"), "Enter");
    expect(commands().map((c) => [c.action, c.payload])).toEqual([
      ["override", { text: "Your refund is on its way." }],
    ]);
  });

  it("Alt+R opens the picker filtered to the action; arrows move, typing filters, Enter inserts, Escape closes", async () => {
    const root = await open();
    flushed(() => button(root, "Send system message").click());
    const text = $<HTMLTextAreaElement>(root, "#iv-text");
    type(text, "Hi. ");
    key(text, "r", { code: "KeyR", altKey: true });
    const filter = $<HTMLInputElement>(root, "#cr-filter");
    expect(document.activeElement).toBe(filter);
    expect($(root, "[role=listbox]").getAttribute("aria-label")).toBe("Canned replies for System message");
    expect(options(root).map((o) => o.dataset.replyId)).toEqual(["a", "b"]);
    expect(options(root)[0]?.getAttribute("aria-selected")).toBe("true");
    key(filter, "ArrowDown");
    expect(options(root)[1]?.getAttribute("aria-selected")).toBe("true");
    expect(filter.getAttribute("aria-activedescendant")).toBe(options(root)[1]?.id);
    key(filter, "ArrowDown");
    expect(options(root)[0]?.getAttribute("aria-selected")).toBe("true");
    type(filter, "colleague");
    expect(options(root).map((o) => o.dataset.replyId)).toEqual(["b"]);
    key(filter, "Enter");
    expect(root.querySelector("#cr-filter")).toBeNull();
    expect(text.value).toBe("Hi. A colleague joins now.");
    expect(commands()).toEqual([]);
    // Escape closes the picker only; the dialog stays open.
    key(text, "r", { code: "KeyR", altKey: true });
    key($(root, "#cr-filter"), "Escape");
    expect(root.querySelector("#cr-filter")).toBeNull();
    expect(root.querySelector("[role=dialog]")).not.toBeNull();
    // The picker's "Manage…" opens the canned-replies screen; Escape on it closes only the picker.
    flushed(() => $<HTMLButtonElement>(root, ".cr-open").click());
    const manage = $<HTMLButtonElement>(root, ".cr-manage");
    key(manage, "Escape");
    expect(root.querySelector(".cr-picker")).toBeNull();
    expect(root.querySelector("[role=dialog]")).not.toBeNull();
    flushed(() => $<HTMLButtonElement>(root, ".cr-open").click());
    flushed(() => $<HTMLButtonElement>(root, ".cr-manage").click());
    expect(manageCalls).toBe(1);
  });

  it("/ at the start of the field lists the replies for the action under it; the field keeps the keyboard", async () => {
    const root = await open();
    flushed(() => button(root, "Whisper to the agent").click());
    const text = $<HTMLTextAreaElement>(root, "#iv-text");
    type(text, "/");
    expect(document.activeElement).toBe(text);
    expect(options(root).map((o) => o.dataset.replyId)).toEqual(["c"]);
    key(text, "Enter");
    expect(text.value).toBe("Offer the 20 % discount.");
    expect(root.querySelector("#cr-suggest")).toBeNull();
    expect(commands()).toEqual([]);
  });

  it("the / list narrows as you type, arrows move the active option, Tab inserts, Escape closes only the list", async () => {
    const root = await open();
    flushed(() => button(root, "Send system message").click());
    const text = $<HTMLTextAreaElement>(root, "#iv-text");
    type(text, "/");
    expect(options(root).map((o) => o.dataset.replyId)).toEqual(["a", "b"]);
    expect(text.getAttribute("aria-controls")).toBe("cr-suggest");
    key(text, "ArrowDown");
    expect(options(root)[1]?.getAttribute("aria-selected")).toBe("true");
    expect(text.getAttribute("aria-activedescendant")).toBe(options(root)[1]?.id);
    key(text, "Tab");
    expect(text.value).toBe("A colleague joins now.");
    type(text, "/hu");
    expect(options(root).map((o) => o.dataset.replyId)).toEqual(["b"]);
    key(text, "Escape");
    expect(root.querySelector("#cr-suggest")).toBeNull();
    expect(text.hasAttribute("aria-expanded")).toBe(false);
    expect(root.querySelector("[role=dialog]")).not.toBeNull();
    expect(text.value).toBe("/hu");
  });
});

describe("canned replies in the take-over compose box", () => {
  it("/shortcut + Enter inserts the take-over reply text; the next Enter sends it", async () => {
    const replies = REPLIES.map((r) =>
      r.id === "b" ? { ...r, kinds: ["system_message", "takeover_reply"] } : r,
    );
    const root = await open({ taken_over_by: { id: USER.id, name: USER.name } }, replies as CannedReply[]);
    const box = $<HTMLTextAreaElement>(root, "#iv-takeover-text");
    type(box, "/human");
    key(box, "Enter");
    expect(box.value).toBe("A colleague joins now.");
    expect(commands().filter((c) => c.action === "takeover_reply")).toHaveLength(0);
    // Only replies allowed for take-over replies are offered.
    type(box, "/");
    expect(options(root).map((o) => o.dataset.replyId)).toEqual(["b"]);
    type(box, "A colleague joins now.");
    key(box, "Enter");
    expect(commands().at(-1)).toMatchObject({
      action: "takeover_reply",
      payload: { text: "A colleague joins now." },
    });
  });
});

describe("canned replies screen", () => {
  it("adds with inline errors (empty text, duplicate shortcut), edits and deletes", async () => {
    await makeCanned();
    const { root } = mount(<CannedView canned={canned} onBack={() => {}} />);
    expect([...root.querySelectorAll(".cr-row")].map((r) => (r as HTMLElement).dataset.replyId)).toEqual([
      "a",
      "b",
      "c",
    ]);
    flushed(() => button(root, "Add canned reply").click());
    type($<HTMLInputElement>(root, "#cr-title"), "Thanks");
    type($<HTMLInputElement>(root, "#cr-shortcut"), "/refund");
    flushed(() => $<HTMLFormElement>(root, "form.cr-form").requestSubmit());
    await until(
      'root.querySelector("#cr-text-error") !== null',
      () => root.querySelector("#cr-text-error") !== null,
    );
    expect($(root, "#cr-text-error").textContent).toBe("Write the text to insert.");
    expect($(root, "#cr-text").getAttribute("aria-invalid")).toBe("true");
    expect($(root, "#cr-shortcut-error").textContent).toBe("/refund is already the shortcut of “Refund”.");
    type($<HTMLTextAreaElement>(root, "#cr-text"), "Thank you for waiting.");
    type($<HTMLInputElement>(root, "#cr-shortcut"), "thanks");
    flushed(() => $<HTMLFormElement>(root, "form.cr-form").requestSubmit());
    await until("canned.replies.value.length === 4", () => canned.replies.value.length === 4);
    expect(canned.replies.value[3]).toMatchObject({
      id: "n1",
      shortcut: "/thanks",
      text: "Thank you for waiting.",
    });
    flushed(() => button(root, "Delete “Refund”").click());
    flushed(() => $<HTMLButtonElement>(root, ".cr-confirm-delete").click());
    await until("canned.replies.value.length === 3", () => canned.replies.value.length === 3);
    expect(canned.replies.value.map((r) => r.id)).toEqual(["b", "c", "n1"]);
  });
});

describe("canned reply preview", () => {
  it("shows the text as the conversation will: through the message renderer", async () => {
    await makeCanned();
    const { root } = mount(<CannedView canned={canned} onBack={() => {}} />);
    flushed(() => button(root, "Add canned reply").click());
    expect(root.querySelector(".cr-preview")).toBeNull();
    type(
      $<HTMLTextAreaElement>(root, "#cr-text"),
      "**Sorry** for the wait.\n\n| Plan | Price |\n|---|---|\n| Pro | 12 |",
    );
    const preview = $(root, ".cr-preview-body");
    expect(preview.querySelector("strong")?.textContent).toBe("Sorry");
    expect([...preview.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["Plan", "Price"]);
    expect(preview.textContent).not.toContain("**");
  });
});
