/** An in-panel toast as drafted (by the worker for session changes, by the panel for activity). */
import * as v from "valibot";

export const TOAST_SEVERITIES = ["info", "warning", "error"] as const;
export type ToastSeverity = (typeof TOAST_SEVERITIES)[number];

export const ToastDraftSchema = v.object({
  title: v.pipe(v.string(), v.maxLength(200)),
  body: v.pipe(v.string(), v.maxLength(2000)),
  severity: v.picklist(TOAST_SEVERITIES),
  session_id: v.optional(v.string()),
});
export type ToastDraft = v.InferOutput<typeof ToastDraftSchema>;
