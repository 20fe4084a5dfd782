import { describe, expect, it } from "vitest";
import { lives, type Sample } from "../faults/soak-figures";

const at = (atMin: number, rssMb: number, life: number): Sample => ({
  atMin,
  rssMb,
  gatewayHeapMb: 100,
  workerMb: 10,
  panelMb: 30,
  fds: 36,
  lagP99Ms: 20,
  lagMaxMs: 80,
  life,
});

describe("soak figures: the gateway's lives", () => {
  it("pairs the first and last sample of each life, so a sawtooth is not averaged away", () => {
    const s = [at(5, 160, 0), at(7, 300, 0), at(10, 540, 0), at(11, 170, 1), at(20, 570, 1), at(22, 169, 2)];
    expect(lives(s).map(([a, z]) => [a.rssMb, z.rssMb])).toEqual([
      [160, 540],
      [170, 570],
      [169, 169],
    ]);
    expect(lives([])).toEqual([]);
  });
});
