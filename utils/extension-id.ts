/** The Chrome extension id fixed by the manifest `key` (see wxt.config.ts). */
export const EXTENSION_ID = "hkjmecafcijmdjoecelfmegdikoiplkh";
export const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}`;
