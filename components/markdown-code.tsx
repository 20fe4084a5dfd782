import { useEffect, useRef, useState } from "preact/hooks";
import { Highlight } from "./filters";

type CopyState = "idle" | "copied" | "failed";
const LABEL: Record<CopyState, string> = { idle: "Copy", copied: "Copied", failed: "Copy failed" };

/**
 * A fenced code block: its language (as text), a Copy button (a real button:
 * keyboard and screen readers reach it; its name says what it copies) and
 * the code, which scrolls sideways and can be focused to scroll by keyboard.
 */
export function CodeBlock({ code, lang, keyword }: { code: string; lang: string; keyword: string }) {
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    let next: CopyState = "copied";
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      next = "failed";
    }
    setState(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2000);
  };
  const language = lang.slice(0, 24);
  return (
    <div class="md-code">
      <div class="md-code-head">
        <span class="md-code-lang">{language || "code"}</span>
        <button
          type="button"
          class="md-copy"
          aria-label={state === "idle" ? `Copy ${language ? `${language} ` : ""}code` : LABEL[state]}
          onClick={copy}
        >
          {LABEL[state]}
        </button>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
      <pre tabIndex={0}>
        <code>{keyword.trim() ? <Highlight text={code} keyword={keyword} /> : code}</code>
      </pre>
    </div>
  );
}
