/**
 * The panel's one holder of a command's life: `cmd_id → {command, status}`.
 * `send` hands a command to the worker and marks it pending; the worker's
 * `command_status` reports land through `report`; `history` is what was sent,
 * oldest first, bounded. The worker's outbox (utils/connection/command-outbox.ts)
 * keeps a command across panels and restarts; this journal is what one panel
 * shows of it, kept by the panel model so it outlives a conversation view.
 */
import { computed, type ReadonlySignal, signal } from "@preact/signals";
import type { CommandStatus } from "../panel-messages";
import type { Command } from "../protocol";

export interface JournalEntry {
  command: Command;
  /** The latest status known for it; `pending` from the moment it is sent again. */
  status: CommandStatus | undefined;
}

export interface CommandJournalDeps {
  /** Hands a command to the worker; returns the cmd_id it went out with when the sender chose its own. */
  post(cmd: Command): string | undefined;
  /** How many sent commands the history keeps (30). */
  max?: number;
}

export interface CommandJournal {
  /** Every status reported, by cmd_id (also for commands this panel did not send). */
  readonly statuses: ReadonlySignal<ReadonlyMap<string, CommandStatus>>;
  /** What this panel sent, oldest first, each with its status. */
  readonly history: ReadonlySignal<readonly JournalEntry[]>;
  /**
   * Sends (or sends again, same cmd_id) and marks it pending; the entry moves to the end of
   * the history, replacing the one named by `replaces` (an edited resubmission). Returns the cmd_id used.
   */
  send(cmd: Command, replaces?: string): string;
  report(status: CommandStatus): void;
  entry(cmdId: string): JournalEntry | undefined;
  /** Forgets a sent command (its status line is dismissed). */
  dismiss(cmdId: string): void;
}

export function createCommandJournal(deps: CommandJournalDeps): CommandJournal {
  const max = deps.max ?? 30;
  const statuses = signal<ReadonlyMap<string, CommandStatus>>(new Map());
  const sent = signal<readonly Command[]>([]);
  const history = computed(() =>
    sent.value.map((command) => ({ command, status: statuses.value.get(command.cmd_id) })),
  );

  const setStatus = (s: CommandStatus) => {
    statuses.value = new Map(statuses.peek()).set(s.cmd_id, s);
  };

  return {
    statuses,
    history,
    send(cmd, replaces) {
      const used = deps.post(cmd) ?? cmd.cmd_id;
      setStatus({ cmd_id: used, status: "pending" });
      const drop = new Set([cmd.cmd_id, used, replaces ?? ""]);
      sent.value = [...sent.peek().filter((c) => !drop.has(c.cmd_id)), { ...cmd, cmd_id: used }].slice(-max);
      return used;
    },
    report: setStatus,
    entry(cmdId) {
      const command = sent.peek().find((c) => c.cmd_id === cmdId);
      return command ? { command, status: statuses.peek().get(cmdId) } : undefined;
    },
    dismiss(cmdId) {
      sent.value = sent.peek().filter((c) => c.cmd_id !== cmdId);
    },
  };
}
