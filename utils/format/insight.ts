/** AI insight figures for people: cost, tokens, sentiment, risk, waiting time. */

/** US dollars: "$0.0042" below a cent, "$0.42", "$12.30". */
export function formatCost(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return "—";
  if (usd === 0) return "$0";
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** A token count: "850", "1.2k", "34k". */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "—";
  if (n < 1000) return String(Math.round(n));
  return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
}

export type SentimentTone = "negative" | "neutral" | "positive";

/** −1…1 in words: at or below −0.25 negative, at or above 0.25 positive. */
export function sentimentTone(x: number): SentimentTone {
  return x <= -0.25 ? "negative" : x >= 0.25 ? "positive" : "neutral";
}

/** "−0.60" with a real minus sign, "+0.40", "0.00". */
export function formatSentiment(x: number): string {
  const v = Math.round(x * 100) / 100;
  if (v === 0) return "0.00";
  return `${v < 0 ? "−" : "+"}${Math.abs(v).toFixed(2)}`;
}

export type RiskLevel = "low" | "medium" | "high";

/** 0…1: below 0.4 low, below 0.7 medium, else high. */
export function riskLevel(score: number): RiskLevel {
  return score >= 0.7 ? "high" : score >= 0.4 ? "medium" : "low";
}
