// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from "vitest";
import { Highlight, highlightElement, KeywordCoverage } from "@/components/filters";
import { createFilterModel } from "@/utils/filters";
import type { Session } from "@/utils/protocol";
import { makeSession } from "../fixtures/frames";
import { createFilterQuery } from "../helpers/filter-query";
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
  it("says so when the worker's index dropped a session's older messages, only while searching", () => {
    const worker = createFilterQuery([makeSession({ id: "s1", preview: "hi" }) as Session], {
      keywordIndex: { maxMessagesPerSession: 1 },
    });
    const filters = createFilterModel({ count: worker.count, total: worker.total, partial: worker.partial });
    worker.follow(filters);
    worker.addMessages([{ session_id: "s1", id: "m1", text: "about my parcel" }]);
    const m = mount(<KeywordCoverage filters={filters} sessionId="s1" />);
    expect(m.root.textContent).toBe("");
    flushed(() => {
      filters.setKeyword("parcel");
      worker.addMessages([{ session_id: "s1", id: "m2", text: "the parcel again" }]);
    });
    expect(worker.window.partial).toEqual(["s1"]);
    expect(m.root.textContent).toBe("Searched recent messages only");
    flushed(() => filters.setKeyword(""));
    expect(m.root.textContent).toBe("");
  });

  it("highlights the keyword in the snippet the worker found in the conversation", () => {
    const worker = createFilterQuery([makeSession({ id: "s1", preview: "hi" }) as Session]);
    const filters = createFilterModel({ count: worker.count, total: worker.total });
    worker.follow(filters);
    worker.addMessages([{ session_id: "s1", id: "m1", text: "My PARCEL never came" }]);
    filters.setKeyword("parcel");
    const snippet = worker.window.snippets.s1 ?? "";
    expect(snippet).toContain("PARCEL");
    const m = mount(<Highlight text={snippet} keyword={filters.keyword.value} />);
    expect([...m.root.querySelectorAll("mark.flt-hit")].map((e) => e.textContent)).toEqual(["PARCEL"]);
  });
});
