import { describe, expect, it } from "vitest";
import { createCommandJournal } from "@/utils/interventions";
import type { Command } from "@/utils/protocol";

const pause = (cmd_id: string, session_id = "ses_a"): Command => ({
  cmd_id,
  session_id,
  action: "pause",
  reason: "Escalating",
});

function setup(post: (cmd: Command) => string | undefined = () => undefined, max?: number) {
  const posted: Command[] = [];
  const journal = createCommandJournal({
    post: (cmd) => {
      posted.push(cmd);
      return post(cmd);
    },
    ...(max === undefined ? {} : { max }),
  });
  return { journal, posted };
}

describe("the panel's command journal", () => {
  it("sends a command, marks it pending, and keeps the status the worker reports", () => {
    const { journal, posted } = setup();
    expect(journal.send(pause("c1"))).toBe("c1");
    expect(posted).toEqual([pause("c1")]);
    expect(journal.entry("c1")).toEqual({
      command: pause("c1"),
      status: { cmd_id: "c1", status: "pending" },
    });
    journal.report({ cmd_id: "c1", status: "acked", intervention_id: "int_00000001" });
    expect(journal.history.value).toEqual([
      { command: pause("c1"), status: { cmd_id: "c1", status: "acked", intervention_id: "int_00000001" } },
    ]);
    expect(journal.statuses.value.get("c1")?.status).toBe("acked");
  });

  it("keeps statuses of commands it did not send (another panel's), outside the history", () => {
    const { journal } = setup();
    journal.report({ cmd_id: "other", status: "failed", code: "RATE_LIMITED", message: "m" });
    expect(journal.statuses.value.get("other")?.status).toBe("failed");
    expect(journal.history.value).toEqual([]);
    expect(journal.entry("other")).toBeUndefined();
  });

  it("sent again: same cmd_id, pending again, moved to the end; an edit replaces the one it came from", () => {
    const { journal, posted } = setup();
    journal.send(pause("c1"));
    journal.send(pause("c2"));
    journal.report({ cmd_id: "c1", status: "failed", code: "RATE_LIMITED", message: "m" });
    journal.send(pause("c1"));
    expect(posted.map((c) => c.cmd_id)).toEqual(["c1", "c2", "c1"]);
    expect(journal.history.value.map((e) => [e.command.cmd_id, e.status?.status])).toEqual([
      ["c2", "pending"],
      ["c1", "pending"],
    ]);
    journal.send(pause("c3"), "c1");
    expect(journal.history.value.map((e) => e.command.cmd_id)).toEqual(["c2", "c3"]);
  });

  it("adopts the cmd_id the sender chose", () => {
    const { journal } = setup(() => "from-sender");
    expect(journal.send(pause("c1"))).toBe("from-sender");
    expect(journal.history.value[0]?.command.cmd_id).toBe("from-sender");
    expect(journal.statuses.value.get("from-sender")?.status).toBe("pending");
  });

  it("keeps a bounded history and forgets a dismissed command", () => {
    const { journal } = setup(undefined, 3);
    for (const id of ["c1", "c2", "c3", "c4"]) journal.send(pause(id));
    expect(journal.history.value.map((e) => e.command.cmd_id)).toEqual(["c2", "c3", "c4"]);
    journal.dismiss("c3");
    expect(journal.history.value.map((e) => e.command.cmd_id)).toEqual(["c2", "c4"]);
  });
});
