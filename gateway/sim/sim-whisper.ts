/**
 * How the simulated agent follows a supervisor's whisper: the instruction
 * becomes a sentence at the head of its next reply, so supervisors see the
 * agent act on it ("Offer the 20 % retention discount" → "I can offer you the
 * 20 % retention discount."). Pure functions; the session keeps the instruction.
 */

const MAX_INSTRUCTION = 300;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The sentence with which the agent carries out an instruction. */
export function sentenceFor(instruction: string): string {
  const said = instruction
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_INSTRUCTION)
    .replace(/[.!]+$/, "")
    .replace(/^please\s+/i, "");
  if (said === "") return "";
  const offer = /^offer\s+(?:(?:the\s+)?(?:user|customer|them|him|her)\s+)?(.+)$/i.exec(said);
  if (offer?.[1]) return `Good news: I can offer you ${offer[1]}.`;
  if (/^apologi[sz]e\b/i.test(said)) return "I'm sorry for the trouble this has caused.";
  const mention = /^(?:mention|tell (?:the user|them|the customer))\s+(?:that\s+)?(.+)$/i.exec(said);
  if (mention?.[1]) return `${upperFirst(mention[1])}.`;
  return `I will also ${lowerFirst(said)}.`;
}

/** The agent's reply after a whisper: the instruction carried out, then what it meant to say. */
export function followWhisper(instruction: string, reply: string): string {
  const lead = sentenceFor(instruction);
  return lead === "" ? reply : `${lead} ${reply}`;
}
