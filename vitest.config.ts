import { defineConfig } from "vitest/config";
import { WxtVitest } from "wxt/testing/vitest-plugin";

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx", "gateway/**/*.test.ts", "utils/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Chromium end-to-end files share the 2-core machine; keep them from starving each other.
    maxWorkers: 2,
    globalSetup: ["tests/faults/report.ts"],
  },
});
