// @vitest-environment happy-dom
import { signal } from "@preact/signals";
import { afterEach, describe, expect, it } from "vitest";
import { Highlight, highlightElement, KeywordCoverage } from "@/components/filters";
import { createFilterModel, createKeywordIndex } from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { flushed, mount, unmountAll } from "../helpers/render";

afterEach(unmountAll);

describe("Highlight", () => {
  it("wraps matches in <mark>, case-insensitive", () => {
    const m = mount(<Highlight text="Refund my refund" keyword="REFUND" />);
    const marks = [...m.root.querySelectorAll("mark.flt-hit")].map((e) => e.textContent);
    expect(marks).toEqual(["Refund", "refund"]);
    expect(m.root.textContent).toBe("Refund my refund");
  });

  it("never interprets the text as HTML", () => {
    const evil = '<img src=x onerror="alert(1)"> refund';
    const m = mount(<Highlight text={evil} keyword="img" />);
    expect(m.root.querySelector("img")).toBeNull();
    expect(m.root.textContent).toBe(evil);
    expect(m.root.querySelector("mark")?.textContent).toBe("img");
  });

  it("renders plain text without a keyword and treats regex characters literally", () => {
    const m = mount(<Highlight text="a+b (c)" keyword="" />);
    expect(m.root.querySelector("mark")).toBeNull();
    m.rerender(<Highlight text="a+b (c)" keyword="(c)" />);
    expect(m.root.querySelector("mark")?.textContent).toBe("(c)");
  });
});

describe("highlightElement", () => {
  it("marks matches in rendered markup and undoes it", () => {
    const root = document.createElement("div");
    root.innerHTML = "<p><strong>Refund</strong> is due, the refund <code>REFUND-1</code></p>";
    const before = root.innerHTML;
    const undo = highlightElement(root, "refund");
    expect([...root.querySelectorAll("mark")].map((e) => e.textContent)).toEqual([
      "Refund",
      "refund",
      "REFUND",
    ]);
    expect(root.querySelector("strong mark")).not.toBeNull();
    undo();
    expect(root.innerHTML).toBe(before);
    expect(highlightElement(null, "x")).toBeTypeOf("function");
  });
});

describe("KeywordCoverage", () => {
  it("says so when a session's older messages left the index, only while searching", () => {
    const keywordIndex = createKeywordIndex({ maxMessagesPerSession: 1 });
    const filters = createFilterModel({
      sessions: signal<readonly Session[]>([]),
      now: signal(0),
      keywordIndex,
    });
    keywordIndex.addMessage("s1", { id: "m1", text: "a" });
    const m = mount(<KeywordCoverage filters={filters} sessionId="s1" />);
    expect(m.root.textContent).toBe("");
    flushed(() => {
      filters.setKeyword("a");
      keywordIndex.addMessage("s1", { id: "m2", text: "b" });
    });
    expect(m.root.textContent).toBe("Searched recent messages only");
  });
});
