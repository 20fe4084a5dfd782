export default defineBackground(() => {
  // Wiring lives in utils/; see docs/architecture.md.
  browser.runtime.onInstalled.addListener(() => {
    void browser.storage.session.set({ installedAt: Date.now() });
  });
});
