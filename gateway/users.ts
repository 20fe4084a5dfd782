/** The users file: who may connect, in which organisation, with which roles. */
import * as v from "valibot";
import { decodeWith } from "../utils/protocol/index.ts";

export const USER_ROLES = ["admin", "supervisor", "viewer"] as const;
export type UserRole = (typeof USER_ROLES)[number];

const UserRecordSchema = v.object({
  token: v.pipe(v.string(), v.minLength(16, "must be at least 16 characters")),
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1–100 letters, digits, _ . : -")),
  name: v.pipe(v.string(), v.minLength(1, "must not be empty")),
  org_id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1–100 letters, digits, _ . : -")),
  roles: v.pipe(
    v.array(v.picklist(USER_ROLES, "must be admin, supervisor or viewer")),
    v.minLength(1, "needs a role"),
  ),
});
const UsersSchema = v.pipe(v.array(UserRecordSchema), v.minLength(1, "must list at least one user"));

export type UserRecord = v.InferOutput<typeof UserRecordSchema>;

export function parseUsers(json: unknown): { ok: true; value: UserRecord[] } | { ok: false; error: string } {
  const r = decodeWith(UsersSchema, json);
  if (!r.ok) return { ok: false, error: `${r.error.path || "(root)"} ${r.error.message}` };
  const seen = new Set<string>();
  for (const u of r.value) {
    if (seen.has(u.token)) return { ok: false, error: `user ${u.id}: token is used twice` };
    seen.add(u.token);
  }
  return r;
}

export function permissionsOf(roles: readonly string[]): string[] {
  const perms = ["sessions:read"];
  if (roles.includes("admin") || roles.includes("supervisor")) perms.push("sessions:intervene");
  if (roles.includes("admin")) perms.push("sessions:monitoring");
  return perms;
}
