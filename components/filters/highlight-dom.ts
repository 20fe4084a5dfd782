/**
 * Highlights a keyword inside an already rendered element (e.g. a Markdown
 * message): walks its text nodes and wraps each match in `<mark class="flt-hit">`
 * built with DOM calls (no HTML parsing). Returns an undo that restores the
 * original text nodes; call it before re-rendering or when the keyword changes.
 *
 *   useLayoutEffect(() => highlightElement(ref.current, filters.keyword.value), [html, keyword]);
 */
import { highlightRanges, splitByRanges } from "@/utils/filters";

const SKIP = new Set(["SCRIPT", "STYLE", "TEXTAREA", "INPUT", "MARK"]);

export function highlightElement(root: Element | null, keyword: string): () => void {
  if (!root || !keyword.trim()) return () => {};
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (parent && !SKIP.has(parent.tagName)) texts.push(n as Text);
  }
  const undo: { fragment: Node[]; original: Text }[] = [];
  for (const text of texts) {
    const value = text.data;
    const ranges = highlightRanges(value, keyword);
    if (ranges.length === 0) continue;
    const nodes: Node[] = splitByRanges(value, ranges).map((part) => {
      if (!part.match) return doc.createTextNode(part.text);
      const mark = doc.createElement("mark");
      mark.className = "flt-hit";
      mark.textContent = part.text;
      return mark;
    });
    text.replaceWith(...nodes);
    undo.push({ fragment: nodes, original: text });
  }
  return () => {
    for (const { fragment, original } of undo) {
      const first = fragment[0];
      if (!first?.parentNode) continue;
      first.parentNode.insertBefore(original, first);
      for (const node of fragment) node.parentNode?.removeChild(node);
    }
  };
}
