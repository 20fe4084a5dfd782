/**
 * A stand-in for a streaming LLM: picks a canned answer for the prompt and
 * yields it a word at a time at `tokensPerSecond`, stopping when its signal
 * aborts. The example runtime wraps it as it would wrap a real model.
 */
export interface FakeLlm {
  stream(prompt: string, signal?: AbortSignal): AsyncIterable<string>;
}

const ANSWERS: [RegExp, string][] = [
  [
    /order|parcel|deliver/i,
    "I checked your order: it left our warehouse yesterday and should **arrive tomorrow**.",
  ],
  [
    /refund|money|charge/i,
    "I can see the charge. A refund takes **3–5 business days** once I start it — shall I?",
  ],
  [
    /password|login|account/i,
    "Let me help with your account. I have sent a reset link to the address on file.",
  ],
  [/hello|hi\b|hey/i, "Hello! I am the example agent. How can I help you today?"],
];
const FALLBACK = "Thanks for the details. Let me look into that for you and come back with an answer.";

const INSTRUCTION = "\n\n[Supervisor instruction] ";

/** The prompt with a supervisor's whisper added as an instruction for this reply. */
export function withInstruction(prompt: string, instruction: string): string {
  return `${prompt}${INSTRUCTION}${instruction}`;
}

export function answerFor(prompt: string): string {
  const at = prompt.indexOf(INSTRUCTION);
  const asked = at < 0 ? prompt : prompt.slice(0, at);
  const base = ANSWERS.find(([re]) => re.test(asked))?.[1] ?? FALLBACK;
  if (at < 0) return base;
  // The model follows the instruction in its own words: "offer the 20 % discount" → "I can also offer …".
  const said = prompt
    .slice(at + INSTRUCTION.length)
    .trim()
    .replace(/[.!\s]+$/, "");
  return said ? `${base} I can also ${said.charAt(0).toLowerCase()}${said.slice(1)}.` : base;
}

/** Splits text into word tokens that join back to exactly the text. */
export function tokenizeWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

export function createFakeLlm(opts: { tokensPerSecond?: number } = {}): FakeLlm {
  const gapMs = 1000 / Math.max(1, opts.tokensPerSecond ?? 20);
  return {
    async *stream(prompt, signal) {
      for (const token of tokenizeWords(answerFor(prompt))) {
        if (signal?.aborted) return;
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(t);
            signal?.removeEventListener("abort", done);
            resolve();
          };
          const t = setTimeout(done, gapMs);
          signal?.addEventListener("abort", done, { once: true });
        });
        if (signal?.aborted) return;
        yield token;
      }
    },
  };
}
