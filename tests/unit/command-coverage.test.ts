/**
 * Adding an action takes three entries: its option in the command schema, its
 * words in the action catalogue, its handler in the gateway. This fails when
 * one of them is missing (the catalogue and the handler table are also typed
 * `Record<Action, …>`, so a missing key does not compile either).
 */
import { describe, expect, it } from "vitest";
import { INTERVENTION_HANDLERS } from "../../gateway/org/intervention-handlers.ts";
import { ACTION_LABELS } from "../../utils/interventions/action-catalog";
import { ACTIONS, CommandPayload } from "../../utils/protocol";

describe("every action is in the schema, the catalogue and the gateway", () => {
  const inSchema = CommandPayload.options.map((o) => o.entries.action.literal);

  it("the protocol's actions are the schema's options, each once", () => {
    expect(ACTIONS).toEqual(inSchema);
    expect(new Set(inSchema).size).toBe(inSchema.length);
    expect(inSchema.length).toBeGreaterThanOrEqual(14);
  });

  it.each(inSchema)("%s has catalogue words and a gateway handler", (action) => {
    expect(ACTION_LABELS[action]?.verb).toEqual(expect.any(String));
    expect(INTERVENTION_HANDLERS[action]).toEqual(expect.any(Function));
  });

  it("neither the catalogue nor the gateway knows an action the schema does not", () => {
    expect(Object.keys(ACTION_LABELS).sort()).toEqual([...inSchema].sort());
    expect(Object.keys(INTERVENTION_HANDLERS).sort()).toEqual([...inSchema].sort());
  });
});
