// @vitest-environment happy-dom
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { OptionsForm } from "../../entrypoints/options/options-form";
import { createOptionsModel } from "../../entrypoints/options/options-model";
import { faults } from "../../utils/connection/test-connection-faults";
import type { Settings } from "../../utils/settings";

function setup(stored: unknown = undefined) {
  const saved: Settings[] = [];
  const model = createOptionsModel({
    load: async () => stored,
    save: async (s) => {
      saved.push(s);
    },
    test: async () => faults.unauthorized("invalid token"),
  });
  const root = document.createElement("div");
  document.body.append(root);
  render(<OptionsForm model={model} />, root);
  return { model, saved, root };
}
const input = (root: HTMLElement, label: string) => {
  const id = [...root.querySelectorAll("label")].find((l) => l.textContent === label)?.getAttribute("for");
  return root.querySelector(`#${id}`) as HTMLInputElement;
};
async function type(el: HTMLInputElement, value: string) {
  await act(() => {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("options page", () => {
  it("has labelled fields loaded from storage and saves valid settings", async () => {
    const { model, saved, root } = setup({
      gatewayUrl: "http://gw.example:8787",
      token: "tok_1",
      pollIntervalMs: 3000,
    });
    await act(() => model.load());
    expect(input(root, "Gateway URL").value).toBe("http://gw.example:8787");
    expect(input(root, "Token").type).toBe("password");
    expect(input(root, "Polling interval (seconds)").value).toBe("3");
    await type(input(root, "Polling interval (seconds)"), "10");
    await act(() => model.save());
    expect(saved[0]).toMatchObject({
      gatewayUrl: "http://gw.example:8787",
      token: "tok_1",
      pollIntervalMs: 10_000,
    });
    expect(saved[0]?.notify).toEqual({
      urgent: true,
      errors: true,
      handoff: true,
      connection: true,
      handoffRequest: true,
      queueExpired: true,
    });
    expect(saved[0]).toMatchObject({ handoffAmberSec: 60, handoffRedSec: 180 });
  });

  it("saves the hand-off timer's thresholds, and refuses red below amber", async () => {
    const { model, saved, root } = setup({ gatewayUrl: "http://gw.example:8787", token: "tok_1" });
    await act(() => model.load());
    expect(input(root, "Amber after (seconds)").value).toBe("60");
    expect(input(root, "Red after (seconds)").value).toBe("180");
    await type(input(root, "Amber after (seconds)"), "200");
    await act(() => model.save());
    expect(saved).toHaveLength(0);
    expect(root.querySelector("#handoff-red-error")?.textContent).toMatch(/not be below the amber/);
    await type(input(root, "Amber after (seconds)"), "30");
    await type(input(root, "Red after (seconds)"), "90");
    await act(() => model.save());
    expect(saved[0]).toMatchObject({ handoffAmberSec: 30, handoffRedSec: 90 });
  });

  it("saves what the panel shows of the AI's signals, in the units shown, and says what is wrong", async () => {
    const { model, saved, root } = setup({ gatewayUrl: "http://gw.example:8787", token: "tok_1" });
    await act(() => model.load());
    const risk = input(root, "Show the risk chip from (percent)");
    const sentiment = input(root, "Show sentiment from (distance from neutral, 0–1)");
    const voice = input(root, "Voice confidence stands out below (percent)");
    expect([risk.value, sentiment.value, voice.value]).toEqual(["30", "0.4", "80"]);
    await type(risk, "140");
    await act(() => model.save());
    expect(saved).toHaveLength(0);
    expect(root.querySelector("#risk-chip-min-error")?.textContent).toMatch(/between 0 and 100/);
    await type(risk, "50");
    await type(sentiment, "0.25");
    await type(voice, "90");
    await act(() => model.save());
    expect(saved[0]).toMatchObject({
      riskChipMinPercent: 50,
      sentimentChipMin: 0.25,
      voiceLowConfidencePercent: 90,
    });
  });

  it("refuses invalid input with a clear message per field", async () => {
    const { model, saved, root } = setup();
    await type(input(root, "Gateway URL"), "ftp://nope");
    await type(input(root, "Token"), "");
    await type(input(root, "Polling interval (seconds)"), "0.1");
    await act(() => model.save());
    expect(saved).toHaveLength(0);
    const alerts = [...root.querySelectorAll("[role=alert]")].map((a) => a.textContent);
    expect(alerts.join(" ")).toMatch(/gateway URL must start with http/);
    expect(alerts.join(" ")).toMatch(/token/i);
    expect(alerts.join(" ")).toMatch(/between 1 and 60/);
  });

  it("reports what the connection test found", async () => {
    const { model, root } = setup();
    await act(() => model.test());
    const shown = root.querySelector("[aria-label='Connection test result']")?.textContent ?? "";
    expect(shown).toContain("Token rejected: The gateway rejected the token (401)");
    expect(shown).toContain("Fix: Paste a current supervisor token");
  });
});
