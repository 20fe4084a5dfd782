// @vitest-environment happy-dom
import { useState } from "preact/hooks";
import { afterEach, describe, expect, it } from "vitest";
import { DisclosureButton } from "@/components/disclosure";
import { TabList } from "@/components/tab-list";
import { flushed, mount, unmountAll } from "../helpers/render";

afterEach(unmountAll);

type T = "a" | "b" | "c";
function Tabs() {
  const [cur, setCur] = useState<T>("b");
  return (
    <>
      <TabList
        class="tl"
        tabClass="t"
        label="Things"
        tabs={[
          { id: "a", label: "A" },
          { id: "b", label: "B" },
          { id: "c", label: "C" },
        ]}
        current={cur}
        onSelect={setCur}
        tabId={(id) => `tab-${id}`}
        panelId={(id) => `panel-${id}`}
      />
      <div role="tabpanel" id={`panel-${cur}`} aria-labelledby={`tab-${cur}`}>
        {cur}
      </div>
    </>
  );
}

const key = (el: Element, k: string) =>
  flushed(() => {
    el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
  });

describe("TabList", () => {
  it("keeps one tab in the Tab order and moves selection and focus with the arrows (wrapping), Home and End", () => {
    const m = mount(<Tabs />);
    const list = m.root.querySelector('[role="tablist"]');
    expect(list?.getAttribute("aria-label")).toBe("Things");
    const tab = (id: T) => m.root.querySelector(`#tab-${id}`) as HTMLElement;
    const selected = () =>
      [...m.root.querySelectorAll('[role="tab"]')].filter((t) => t.getAttribute("aria-selected") === "true");
    expect(selected().map((t) => t.id)).toEqual(["tab-b"]);
    expect(tab("b").tabIndex).toBe(0);
    expect(tab("a").tabIndex).toBe(-1);
    expect(tab("a").getAttribute("aria-controls")).toBe("panel-a");

    key(tab("b"), "ArrowRight");
    expect(selected().map((t) => t.id)).toEqual(["tab-c"]);
    expect(document.activeElement).toBe(tab("c"));
    key(tab("c"), "ArrowRight");
    expect(document.activeElement).toBe(tab("a"));
    key(tab("a"), "ArrowLeft");
    expect(document.activeElement).toBe(tab("c"));
    key(tab("c"), "Home");
    expect(document.activeElement).toBe(tab("a"));
    key(tab("a"), "End");
    expect(document.activeElement).toBe(tab("c"));
    expect(m.root.querySelector('[role="tabpanel"]')?.textContent).toBe("c");
    key(tab("c"), "x");
    expect(selected().map((t) => t.id)).toEqual(["tab-c"]);
    flushed(() => tab("a").click());
    expect(selected().map((t) => t.id)).toEqual(["tab-a"]);
  });
});

describe("DisclosureButton", () => {
  function Region() {
    const [open, setOpen] = useState(false);
    return (
      <>
        <DisclosureButton class="d" open={open} controls="region" onToggle={setOpen}>
          More
        </DisclosureButton>
        {open && <div id="region">shown</div>}
      </>
    );
  }
  it("says whether its region is shown and toggles it", () => {
    const m = mount(<Region />);
    const b = m.root.querySelector("button") as HTMLButtonElement;
    expect(b.getAttribute("aria-expanded")).toBe("false");
    expect(b.getAttribute("aria-controls")).toBe("region");
    expect(m.root.querySelector("#region")).toBeNull();
    flushed(() => b.click());
    expect(b.getAttribute("aria-expanded")).toBe("true");
    expect(m.root.querySelector("#region")?.textContent).toBe("shown");
    flushed(() => b.click());
    expect(b.getAttribute("aria-expanded")).toBe("false");
  });
});
