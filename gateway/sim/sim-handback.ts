/**
 * The simulated agent back after a take-over: the supervisor's replies are in
 * its context, and its first reply shows it by picking up from the last one.
 */
const MAX_QUOTE = 120;

export function afterHandBack(humanTurns: readonly string[], reply: string): string {
  const last = humanTurns.at(-1)?.replace(/\s+/g, " ").trim() ?? "";
  if (last === "") return reply;
  const quote = last.length > MAX_QUOTE ? `${last.slice(0, MAX_QUOTE - 1)}…` : last;
  return `Following up on what my colleague said ("${quote}"): ${reply}`;
}
