/** The names both ends agree on outside the messages themselves. */

/** The runtime Port a panel opens to the worker. */
export const PANEL_PORT = "live-conversations-panel";

/** storage.session key holding the session a clicked notification asked to show: `{session_id, at}`. */
export const FOCUS_KEY = "lc_focus";
