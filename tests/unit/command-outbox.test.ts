import { describe, expect, it } from "vitest";
import { createCommandOutbox, OUTBOX_KEY } from "@/utils/connection/command-outbox";
import type { CommandStatus } from "@/utils/panel-messages";
import { createMemoryStorage } from "@/utils/platform/kv-storage";
import type { CommandFrame } from "@/utils/protocol";

function setup() {
  const storage = createMemoryStorage();
  const sent: CommandFrame[] = [];
  const reports: CommandStatus[] = [];
  const outbox = createCommandOutbox({
    storage,
    path: () => "socket",
    send: (f) => {
      sent.push(f);
      return true;
    },
    post: () => Promise.reject(new Error("not used")),
    report: (s) => reports.push(s),
  });
  return { storage, sent, reports, outbox };
}

const frame = (cmd_id: string, extra: Record<string, unknown>) => ({
  type: "command",
  cmd_id,
  session_id: "ses_a",
  reason: "Escalating",
  ...extra,
});

describe("the worker's outbox decodes commands with the command schema", () => {
  it("refuses a command the schema does not accept, with the gateway's words", () => {
    const { outbox, sent, reports } = setup();
    outbox.submit({
      type: "command",
      cmd_id: "c1",
      session_id: "ses_a",
      action: "whisper",
      reason: "Escalating",
      payload: { text: " " },
    });
    expect(sent).toEqual([]);
    expect(reports).toEqual([
      {
        cmd_id: "c1",
        status: "failed",
        code: "VALIDATION_FAILED",
        message: "payload.text: a non-empty text is required.",
      },
    ]);
  });

  it("restores what it saved, judging each again: one no longer acceptable is dropped, not sent", async () => {
    const { outbox, storage, sent } = setup();
    await storage.set(OUTBOX_KEY, [
      frame("good", { action: "whisper", payload: { text: "Offer the discount" } }),
      frame("bad", { action: "transfer", payload: { queue: "bots" } }),
    ]);
    await outbox.restore();
    expect(outbox.pending()).toEqual(["good"]);
    outbox.flush();
    expect(sent).toEqual([frame("good", { action: "whisper", payload: { text: "Offer the discount" } })]);
  });
});
