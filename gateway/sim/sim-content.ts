/** What simulated conversations say: agents, users, openers, replies (markdown), attachments, voice. */
import type { Agent, Attachment, Channel, Priority } from "../../utils/protocol/index.ts";
import type { Rng } from "./rng.ts";

export const AGENTS: Agent[] = [
  { id: "agt_support", name: "Support Bot", color: "#2563eb", online: true },
  { id: "agt_sales", name: "Sales Assistant", color: "#16a34a", online: true },
  { id: "agt_billing", name: "Billing Agent", color: "#d97706", online: true },
  { id: "agt_voice", name: "Voice Concierge", color: "#9333ea", online: true },
];

export const VOICE_CHANNELS: readonly Channel[] = ["phone", "sip"];
export const TEXT_CHANNELS: readonly Channel[] = ["web", "telegram", "whatsapp", "mobile_sdk"];
export const PRIORITY_WEIGHTS: readonly Priority[] = ["low", "normal", "normal", "normal", "high", "urgent"];

const FIRST = [
  "Alex",
  "Maria",
  "Chen",
  "Fatima",
  "Jonas",
  "Priya",
  "Lucas",
  "Aiko",
  "Omar",
  "Sofia",
  "Noah",
  "Zanele",
];
const LAST = [
  "Kim",
  "García",
  "Wei",
  "Haddad",
  "Berg",
  "Nair",
  "Silva",
  "Tanaka",
  "Farouk",
  "Rossi",
  "Okafor",
];

export function userName(rng: Rng): string {
  return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
}

interface Topic {
  agent: string;
  tags: string[];
  opener: string[];
  followUps: string[];
  replies: string[];
}

const TOPICS: Topic[] = [
  {
    agent: "agt_support",
    tags: ["orders"],
    opener: [
      "Hi, my order #{n} has not arrived yet.",
      "Hello, the parcel I got is damaged.",
      "Where is my package? It's been a week.",
    ],
    followUps: [
      "It was supposed to come on Monday.",
      "Can you check the tracking?",
      "Here is a photo of the box.",
      "Thanks, that helps.",
      "I want a refund for order #{n}, this is taking far too long.",
    ],
    replies: [
      "I'm sorry about the delay. Here is what I found:\n\n- **Order:** #{n}\n- **Status:** in transit\n- **Carrier:** [track it here](https://tracking.example/{n})\n\nIt should arrive within *2 business days*.",
      "Thanks for the photo. I have opened a replacement request:\n\n1. Keep the damaged item for now\n2. A courier will pick it up\n3. The new one ships today\n\nAnything else I can do?",
      "Let me check that for you. The tracking shows the parcel left the warehouse yesterday.",
    ],
  },
  {
    agent: "agt_sales",
    tags: ["pricing"],
    opener: [
      "What does the Pro plan cost?",
      "Do you offer discounts for teams?",
      "Can I try the product before buying?",
    ],
    followUps: ["We are about 40 people.", "Is there an annual option?", "Sounds good, how do I start?"],
    replies: [
      "Great question! Our plans:\n\n| Plan | Price |\n|---|---|\n| Starter | $9/mo |\n| **Pro** | $29/mo |\n\nTeams over 25 seats get **15% off**. See [pricing](https://example.com/pricing).",
      "Yes, there is a 14-day free trial with every feature enabled. No card needed.",
      "Annual billing saves two months. I can send you a quote by email if you like.",
    ],
  },
  {
    agent: "agt_billing",
    tags: ["billing"],
    opener: ["I was charged twice this month.", "How do I update my card?", "I need an invoice for March."],
    followUps: [
      "The amount was $49.",
      "It's the Visa ending 4242.",
      "Please send it to accounts@acme.example.",
      "Can I get a refund of the $49?",
      "This is ridiculous, let me talk to a human.",
    ],
    replies: [
      "I see two charges of `$49.00` on the 3rd. One is a pending authorisation that will drop off in 3–5 days.",
      "To update your card, use the API or the dashboard:\n\n```bash\ncurl -X POST https://api.example.com/v1/cards \\\n  -H 'Authorization: Bearer …' -d card=tok_visa\n```\n\nOr go to **Settings → Billing**.",
      "Your March invoice is attached. Let me know if the company details need changing.",
    ],
  },
  {
    agent: "agt_voice",
    tags: ["voice", "booking"],
    opener: [
      "Hi, I'd like to book a table for four tonight.",
      "I need to change my appointment.",
      "Can I speak to someone about my reservation?",
    ],
    followUps: ["Around eight o'clock.", "Thursday would be better.", "Yes please, under the name Kim."],
    replies: [
      "Of course. I have a table for four at 8 pm. Shall I confirm it?",
      "I've moved your appointment to Thursday at 10 am. You'll get a text confirmation.",
      "Your reservation is confirmed. Is there anything else I can help with?",
    ],
  },
];

export function topicFor(rng: Rng, voice: boolean): Topic {
  if (voice) return TOPICS[3] as Topic;
  return rng.pick(TOPICS.slice(0, 3));
}

export function fill(text: string, rng: Rng): string {
  return text.replace(/\{n\}/g, String(rng.int(10000, 99999)));
}

export function attachmentFor(rng: Rng): Attachment {
  const kind = rng.pick(["image", "document", "audio", "video"] as const);
  const n = rng.id(6);
  const base = `https://files.example.com/${n}`;
  switch (kind) {
    case "image":
      return {
        kind,
        name: `photo-${n}.jpg`,
        mime: "image/jpeg",
        size: rng.int(40_000, 900_000),
        url: `${base}.jpg`,
        thumbnail_url: `${base}-thumb.jpg`,
      };
    case "document":
      return {
        kind,
        name: `invoice-${n}.pdf`,
        mime: "application/pdf",
        size: rng.int(20_000, 300_000),
        url: `${base}.pdf`,
      };
    case "audio":
      return {
        kind,
        name: `voice-note-${n}.ogg`,
        mime: "audio/ogg",
        size: rng.int(10_000, 200_000),
        url: `${base}.ogg`,
      };
    case "video":
      return {
        kind,
        name: `screen-${n}.mp4`,
        mime: "video/mp4",
        size: rng.int(500_000, 9_000_000),
        url: `${base}.mp4`,
        thumbnail_url: `${base}-thumb.jpg`,
      };
  }
}

/** Splits a reply into tokens whose concatenation is the reply. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [text];
}

export const ERRORS = [
  { code: "LLM_TIMEOUT", message: "The model did not answer within 30 s; retrying", severity: "warning" },
  { code: "TOOL_FAILED", message: "The order lookup tool returned HTTP 502", severity: "error" },
  { code: "RATE_LIMIT_UPSTREAM", message: "Upstream model rate limit reached", severity: "warning" },
] as const;
export const SYSTEM_ERRORS = [
  { code: "UPSTREAM_DEGRADED", message: "LLM provider latency is degraded", severity: "critical" },
] as const;
