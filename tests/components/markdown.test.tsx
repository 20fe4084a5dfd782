// @vitest-environment happy-dom
import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Markdown } from "@/components/markdown";
import { type FormatMode, MAX_NESTING, parseMarkdown, safeHref } from "@/utils/markdown";
import { ALLOWED_ELEMENTS } from "../fixtures/markdown-allowlist";
import { XSS } from "../fixtures/xss";

let root: HTMLElement;
function show(text: string, mode: FormatMode = "markdown"): HTMLElement {
  root = document.createElement("div");
  document.body.append(root);
  render(<Markdown text={text} mode={mode} />, root);
  return root;
}
afterEach(() => {
  render(null, root);
  root.remove();
});

describe("markdown sanitization", () => {
  for (const mode of ["markdown", "whatsapp", "telegram", "plain"] as const) {
    it(`executes nothing and leaves no unsafe link (${mode})`, () => {
      for (const payload of XSS) {
        const el = show(payload, mode);
        const all = [...el.querySelectorAll("*")];
        for (const node of all) {
          expect(ALLOWED_ELEMENTS.has(node.tagName), `${payload} made <${node.tagName}>`).toBe(true);
          for (const attr of node.getAttributeNames()) {
            expect(attr.startsWith("on"), `${payload} made ${attr}`).toBe(false);
            expect(["style", "src", "srcdoc", "action", "formaction", "xlink:href"]).not.toContain(attr);
          }
        }
        for (const a of el.querySelectorAll("a")) {
          const href = a.getAttribute("href") ?? "";
          expect(href, payload).toMatch(/^(https?:\/\/[^\s"<>]+|mailto:[^\s"<>]+)$/);
          expect(a.getAttribute("target")).toBe("_blank");
          expect(a.getAttribute("rel")).toContain("noopener");
          expect(a.getAttribute("rel")).toContain("noreferrer");
        }
        expect(el.querySelector("script, iframe, img, svg, object, embed, form, meta, base")).toBeNull();
      }
    });
  }

  it("shows markup as literal text", () => {
    const el = show("<b>hi</b> <script>alert(1)</script>");
    expect(el.textContent).toBe("<b>hi</b> <script>alert(1)</script>");
  });

  it("refuses every scheme but http(s) and mailto", () => {
    expect(safeHref("https://a.example/x?y=1")).toBe("https://a.example/x?y=1");
    expect(safeHref("mailto:someone@example.org")).toBe("mailto:someone@example.org");
    for (const bad of [
      "javascript:alert(1)",
      "data:text/html,x",
      "ftp://a",
      "//a.example",
      "/x",
      "http://",
      " ",
    ])
      expect(safeHref(bad), bad).toBeNull();
  });

  it("finishes on hostile delimiter floods and deep nesting (no blow-up, no stack overflow)", () => {
    parseMarkdown("*_~`[".repeat(20_000), "markdown");
    parseMarkdown("*a ".repeat(6_000), "markdown");
    parseMarkdown("*a ".repeat(20_000), "whatsapp");
    // Nesting deeper than MAX_NESTING on one line is shown plain instead of overflowing the stack.
    for (const marker of ["> ", "1. ", "- "]) {
      const deep = parseMarkdown(`${marker.repeat(5_000)}x`, "markdown");
      expect(deep.children.map((b) => b.type)).toEqual(["paragraph"]);
    }
    expect(parseMarkdown(`${"> ".repeat(MAX_NESTING)}x`, "markdown").children[0]?.type).toBe("blockquote");
    // No timing assertion: a parser that blew up would pass the test timeout.
    expect(parseMarkdown("*a*", "markdown").children).toEqual([
      { type: "paragraph", children: [{ type: "emphasis", children: [{ type: "text", value: "a" }] }] },
    ]);
  });
});

describe("markdown rendering", () => {
  it("renders bold, italic, strike, code, lists, code blocks and links", () => {
    const el = show(
      "**Bold** and *it* and ~~gone~~ and `x()`\n\n- one\n- two\n\n1. first\n2. second\n\n```js\nlet a = 1;\n```\n\nSee [docs](https://docs.example/a) or https://x.example/b.",
    );
    expect(el.querySelector("strong")?.textContent).toBe("Bold");
    expect(el.querySelector("em")?.textContent).toBe("it");
    expect(el.querySelector("del")?.textContent).toBe("gone");
    expect(el.querySelector("p code")?.textContent).toBe("x()");
    expect([...el.querySelectorAll("ul li")].map((li) => li.textContent)).toEqual(["one", "two"]);
    expect([...el.querySelectorAll("ol li")].map((li) => li.textContent)).toEqual(["first", "second"]);
    expect(el.querySelector("pre code")?.textContent).toBe("let a = 1;");
    const links = [...el.querySelectorAll("a")];
    expect(links.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["docs", "https://docs.example/a"],
      ["https://x.example/b", "https://x.example/b"],
    ]);
  });

  it("keeps intraword underscores and lone asterisks literal", () => {
    const el = show("snake_case_name and 2 * 3 * 4");
    expect(el.querySelector("em")).toBeNull();
    expect(el.textContent).toBe("snake_case_name and 2 * 3 * 4");
  });

  it("renders WhatsApp formatting", () => {
    const el = show("*bold* _italic_ ~strike~ ```mono``` **also bold**", "whatsapp");
    const strongs = [...el.querySelectorAll("strong")].map((s) => s.textContent);
    expect(strongs).toEqual(["bold", "also bold"]);
    expect(el.querySelector("em")?.textContent).toBe("italic");
    expect(el.querySelector("del")?.textContent).toBe("strike");
    expect(el.querySelector("code")?.textContent).toBe("mono");
  });

  it("renders Telegram MarkdownV2", () => {
    const el = show(
      "*bold* _it_ __under__ ~s~ ||secret|| [site](https://t.example) \\*not bold\\*",
      "telegram",
    );
    expect(el.querySelector("strong")?.textContent).toBe("bold");
    expect(el.querySelector("em")?.textContent).toBe("it");
    expect(el.querySelector("u")?.textContent).toBe("under");
    expect(el.querySelector("del")?.textContent).toBe("s");
    expect(el.querySelector(".md-spoiler")?.textContent).toBe("secret");
    expect(el.querySelector("a")?.getAttribute("href")).toBe("https://t.example/");
    expect(el.textContent).toContain("*not bold*");
  });

  it("keeps plain text plain, with line breaks and links", () => {
    const el = show("**not bold**\nline two https://a.example", "plain");
    expect(el.querySelector("strong")).toBeNull();
    expect(el.querySelectorAll("br")).toHaveLength(1);
    expect(el.querySelector("a")?.getAttribute("href")).toBe("https://a.example/");
  });
});

describe("GFM blocks", () => {
  it("renders a table as a scrollable, named, keyboard-reachable region with aligned cells", () => {
    const el = show("| Plan | Price |\n|:--|--:|\n| Basic | 5 € |\n| **Pro** | 12 € |");
    const region = el.querySelector("section.md-table-wrap");
    expect(region?.getAttribute("aria-label")).toBe("Table: Plan, Price");
    expect(region?.getAttribute("tabindex")).toBe("0");
    expect(
      [...el.querySelectorAll("th")].map((th) => [th.textContent, th.getAttribute("scope"), th.className]),
    ).toEqual([
      ["Plan", "col", "md-al-left"],
      ["Price", "col", "md-al-right"],
    ]);
    expect([...el.querySelectorAll("tbody tr")].map((tr) => tr.textContent)).toEqual(["Basic5 €", "Pro12 €"]);
    expect(el.querySelector("tbody strong")?.textContent).toBe("Pro");
  });

  it("renders nested and task lists", () => {
    const el = show("- [x] Refund sent\n- [ ] Label\n  - print it\n  - attach it\n3. three\n4. four");
    const tasks = [...el.querySelectorAll("li.md-task")];
    expect(tasks.map((li) => li.querySelector(".md-task-box")?.getAttribute("aria-label"))).toEqual([
      "Done:",
      "To do:",
    ]);
    expect([...el.querySelectorAll("ul ul li")].map((li) => li.textContent)).toEqual([
      "print it",
      "attach it",
    ]);
    expect(el.querySelector("ol")?.getAttribute("start")).toBe("3");
    expect(el.querySelector("input")).toBeNull();
  });

  it("renders strikethrough, autolinks, block quotes and decodes character references", () => {
    const el = show(
      "~~old~~ see www.shop.example or <https://a.example/x> &amp; &copy;\n\n> quoted **text**",
    );
    expect(el.querySelector("del")?.textContent).toBe("old");
    expect([...el.querySelectorAll("a")].map((a) => a.getAttribute("href"))).toEqual([
      "http://www.shop.example/",
      "https://a.example/x",
    ]);
    expect(el.querySelector("p")?.textContent).toContain("& ©");
    expect(el.querySelector("blockquote strong")?.textContent).toBe("text");
  });

  it("labels fenced code with its language and copies it with a named button", async () => {
    const copied: string[] = [];
    Object.defineProperty(navigator, "clipboard", {
      configurable: true,
      value: { writeText: async (t: string) => void copied.push(t) },
    });
    const el = show("```python\nprint('hi')\n```\n\n```\nplain\n```");
    const [first, second] = [...el.querySelectorAll(".md-code")];
    expect(first?.querySelector(".md-code-lang")?.textContent).toBe("python");
    expect(first?.querySelector("pre code")?.textContent).toBe("print('hi')");
    const button = first?.querySelector<HTMLButtonElement>("button.md-copy");
    expect(button?.getAttribute("type")).toBe("button");
    expect(button?.getAttribute("aria-label")).toBe("Copy python code");
    expect(second?.querySelector("button")?.getAttribute("aria-label")).toBe("Copy code");
    button?.click();
    await vi.waitFor(() => expect(button?.textContent).toBe("Copied"));
    expect(copied).toEqual(["print('hi')"]);
    expect(button?.getAttribute("aria-label")).toBe("Copied");
  });
});
