// @vitest-environment happy-dom
import "fake-indexeddb/auto";
import { signal } from "@preact/signals";
import { IDBFactory } from "fake-indexeddb";
import { afterEach, describe, expect, it } from "vitest";
import { SavedViewsMenu } from "@/components/filters";
import { createFilterModel } from "@/utils/filters";
import { createSavedViewsModel, openViewsStore, ViewsStoreError } from "@/utils/saved-views";
import { USER_DB_NAME, USER_DB_VERSION } from "@/utils/user-db";
import { flushed, mount, rendered, unmountAll } from "../helpers/render";

afterEach(unmountAll);

async function setup(open?: (id: string) => Promise<never>, factory = new IDBFactory()) {
  const filters = createFilterModel({});
  const views = createSavedViewsModel({
    userId: signal<string | null>("u1"),
    filters,
    open: open ?? ((id) => openViewsStore(id, { idbFactory: factory })),
  });
  const m = mount(<SavedViewsMenu views={views} />);
  const $ = <T extends HTMLElement = HTMLElement>(sel: string) => m.root.querySelector<T>(sel);
  const $$ = (sel: string) => [...m.root.querySelectorAll<HTMLElement>(sel)];
  const names = () => $$(".flt-view-apply").map((b) => b.firstChild?.textContent);
  await rendered('views.status.value !== "loading"', () => views.status.value !== "loading");
  return { filters, views, m, $, $$, names };
}

const click = (el: Element | null) => flushed(() => (el as HTMLElement).click());
const key = (el: Element | null, k: string) =>
  flushed(() => (el as HTMLElement).dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })));
const type = (el: Element | null, value: string) =>
  flushed(() => {
    const input = el as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
const submit = (el: Element | null) =>
  flushed(() =>
    (el as HTMLFormElement).dispatchEvent(new Event("submit", { bubbles: true, cancelable: true })),
  );

describe("saved views menu", () => {
  it("flags unreadable records on the closed button and lets one be deleted", async () => {
    const factory = new IDBFactory();
    (await openViewsStore("u1", { idbFactory: factory })).close();
    await new Promise<void>((resolve, reject) => {
      const req = factory.open(USER_DB_NAME, USER_DB_VERSION);
      req.onsuccess = () => {
        const tx = req.result.transaction("views", "readwrite");
        tx.objectStore("views").put({ userId: "u1", id: "bad", name: 42 });
        tx.oncomplete = () => {
          req.result.close();
          resolve();
        };
      };
      req.onerror = () => reject(req.error);
    });
    const { views, $, $$ } = await setup(undefined, factory);
    expect($(".flt-select-button")?.textContent).toContain("1 saved view unreadable");
    click($(".flt-select-button"));
    expect($$(".flt-view")).toHaveLength(4);
    expect($(".flt-problems")?.textContent).toContain("unreadable and was skipped");
    click($(".flt-problems .flt-link"));
    await rendered("views.problems.value.length === 0", () => views.problems.value.length === 0);
    expect($(".flt-select-button")?.textContent).not.toContain("unreadable");
  });

  it("opens, lists the examples, applies one with the keyboard, closes with Escape", async () => {
    const { filters, $, names } = await setup();
    const button = $(".flt-select-button");
    expect(button?.textContent).toContain("Views");
    click(button);
    expect(button?.getAttribute("aria-expanded")).toBe("true");
    expect(names()).toEqual(["High Priority", "WhatsApp Monitoring", "Errors Only", "Long Sessions"]);
    const first = $(".flt-view-apply");
    expect(document.activeElement).toBe(first);
    key(first, "ArrowDown");
    key(document.activeElement, "ArrowDown");
    expect(document.activeElement?.textContent).toBe("Errors Only");
    key(document.activeElement, "End");
    expect(document.activeElement?.textContent).toBe("Long Sessions");
    key(document.activeElement, "Home");
    key(document.activeElement, "ArrowDown");
    click(document.activeElement);
    expect(filters.spec.value.channels).toEqual(["whatsapp"]);
    // Applying a view is the menu's action: it closes and gives focus back to its button.
    expect($(".flt-views-panel")).toBeNull();
    expect(button?.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(button);
    expect(button?.textContent).toContain("View: WhatsApp Monitoring");
    click(button);
    expect($('[aria-current="true"]')?.textContent).toContain("WhatsApp Monitoring");
    expect(document.activeElement?.textContent).toContain("WhatsApp Monitoring");
    key($(".flt-views-panel"), "Escape");
    expect($(".flt-views-panel")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("draws its icons from the one inline-SVG set, no emoji glyphs", async () => {
    const { $, $$ } = await setup();
    click($(".flt-select-button"));
    const icons = $$(".flt-view-actions button").map((b) =>
      b.querySelector("svg.icon")?.getAttribute("data-icon"),
    );
    expect(icons.slice(0, 3)).toEqual(["edit", "overwrite", "delete"]);
    expect($(".flt-views")?.textContent).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  it("saves the current filters under a name (Enter), refuses a taken name, cancels with Escape", async () => {
    const { filters, views, $, names } = await setup();
    flushed(() => filters.update({ channels: ["sip"], priorities: ["urgent"] }));
    click($(".flt-select-button"));
    click($(".flt-save"));
    const input = $(".flt-name-input");
    expect(document.activeElement).toBe(input);
    type(input, "Errors only");
    submit($(".flt-name-form"));
    await rendered("views.notice.value !== null", () => views.notice.value !== null);
    expect($("[role=alert]")?.textContent).toContain("exists");
    type($(".flt-name-input"), "Urgent SIP");
    submit($(".flt-name-form"));
    await rendered('names().includes("Urgent SIP")', () => names().includes("Urgent SIP"));
    expect(views.activeId.value).not.toBeNull();
    expect($(".flt-name-form")).toBeNull();
    click($(".flt-save"));
    key($(".flt-name-input"), "Escape");
    expect($(".flt-name-form")).toBeNull();
    expect($(".flt-views-panel")).not.toBeNull(); // Escape in the field only cancels the field
  });

  it("renames, overwrites and deletes with inline confirmation", async () => {
    const { filters, views, $, $$, names } = await setup();
    click($(".flt-select-button"));
    click($('[aria-label="Rename Errors Only"]'));
    type($(".flt-name-input"), "Broken ones");
    submit($(".flt-name-form"));
    await rendered('names().includes("Broken ones")', () => names().includes("Broken ones"));
    await rendered(
      'document.activeElement?.textContent === "Broken ones"',
      () => document.activeElement?.textContent === "Broken ones",
    );

    flushed(() => filters.update({ statuses: ["error", "paused"] }));
    click($('[aria-label="Overwrite Broken ones with the current filters"]'));
    expect($(".flt-confirm")?.textContent).toContain("Replace “Broken ones”");
    click($(".flt-confirm .flt-danger"));
    await rendered(
      'views.views.value.some((v) => v.name === "Broken ones" && v.spec.statuses.length === 2)',
      () => views.views.value.some((v) => v.name === "Broken ones" && v.spec.statuses.length === 2),
    );

    click($('[aria-label="Delete High Priority"]'));
    key($(".flt-confirm"), "Escape");
    expect(names()).toContain("High Priority");
    click($('[aria-label="Delete High Priority"]'));
    expect(document.activeElement).toBe($(".flt-confirm .flt-danger"));
    click($(".flt-confirm .flt-danger"));
    await rendered("views.views.value.length === 3", () => views.views.value.length === 3);
    expect($$(".flt-view")).toHaveLength(3);
    expect(names()).not.toContain("High Priority");
  });

  it("shows why saved views are unavailable", async () => {
    const { $ } = await setup(() =>
      Promise.reject(new ViewsStoreError("open_failed", "Saved views could not be opened: quota")),
    );
    expect($(".flt-select-button")?.textContent).toContain("saved views unavailable");
    click($(".flt-select-button"));
    expect($("[role=alert]")?.textContent).toContain("could not be opened: quota");
    expect($<HTMLButtonElement>(".flt-save")?.disabled).toBe(true);
  });
});
