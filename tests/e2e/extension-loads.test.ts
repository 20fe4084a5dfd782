import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXTENSION_ID } from "../../utils/extension-id";
import { type LoadedExtension, launchExtension } from "../helpers/extension";

describe("the built extension in headless Chromium", () => {
  let ext: LoadedExtension;
  beforeAll(async () => {
    ext = await launchExtension();
  });
  afterAll(async () => {
    await ext?.close();
  });

  it("starts its service worker with the side panel declared", async () => {
    expect(ext.id).toBe(EXTENSION_ID); // fixed by the manifest key, so gateways can allowlist it
    expect(ext.worker.url()).toBe(`chrome-extension://${ext.id}/background.js`);
    const manifest = (await ext.worker.evaluate(() => chrome.runtime.getManifest())) as {
      side_panel?: { default_path: string };
      permissions: string[];
    };
    expect(manifest.side_panel?.default_path).toBe("sidepanel.html");
    expect(manifest.permissions).toContain("sidePanel");
  });

  it("renders the side panel page", async () => {
    const page = await ext.context.newPage();
    await page.goto(`chrome-extension://${ext.id}/sidepanel.html`);
    await page.getByRole("main", { name: "Live Conversations" }).waitFor({ timeout: 10_000 });
    expect(await page.title()).toBe("Live Conversations");
    await page.close();
  });
});
