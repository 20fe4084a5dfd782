/**
 * Highlights a keyword inside rendered Preact children (e.g. sanitized
 * Markdown): every string child becomes a `<Highlight>`; elements keep their
 * type and props with their children mapped the same way. Nothing is parsed
 * as HTML and the DOM is never patched behind Preact's back.
 */
import { type ComponentChildren, cloneElement, isValidElement, type VNode } from "preact";
import { Highlight } from "./highlight";

export function highlightNodes(children: ComponentChildren, keyword: string): ComponentChildren {
  if (!keyword.trim()) return children;
  const map = (node: ComponentChildren): ComponentChildren => {
    if (typeof node === "string") return node === "" ? node : <Highlight text={node} keyword={keyword} />;
    if (Array.isArray(node)) return node.map(map);
    if (isValidElement(node)) {
      const el = node as VNode<{ children?: ComponentChildren }>;
      if (el.props.children === undefined) return el;
      return cloneElement(el, {}, map(el.props.children));
    }
    return node;
  };
  return map(children);
}
