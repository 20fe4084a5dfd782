/**
 * The streamed replies of load mode are markdown, as an LLM's are: each
 * 50-token stretch is a paragraph with bold, a three-column table, a fenced
 * code block and a task list with a nested item. Every token still ends in
 * its probe word `wN ` (the markup comes before it), so the page's last
 * visible text is always the newest token shown.
 */
export function markdownToken(n: number, idx: number): string {
  const w = `w${n} `;
  const c = idx % 50;
  if (c === 0) return `${idx > 0 ? "\n\n" : ""}**Summary** ${w}`;
  if (c < 10) return w;
  if (c === 10) return `\n\n| Plan | Price | Notes |\n|---|---:|---|\n| ${w}`;
  if (c < 28) return (c - 10) % 3 === 0 ? ` |\n| ${w}` : ` | ${w}`;
  if (c === 28) return ` |\n\n\`\`\`ts\nconst ${w}`;
  if (c < 40) return (c - 28) % 4 === 0 ? `\nconst ${w}` : w;
  if (c === 40) return `\n\`\`\`\n\n- [x] ${w}`;
  return (c - 40) % 3 === 0 ? `\n- [ ] ${w}` : (c - 40) % 3 === 1 ? `\n  - ${w}` : w;
}
