/** The users file: who may connect, in which organisation, with which roles. */
import { createHash } from "node:crypto";
import * as v from "valibot";
import { decodeWith } from "../../utils/protocol/index.ts";

export const USER_ROLES = ["admin", "supervisor", "viewer", "agent"] as const;
export type UserRole = (typeof USER_ROLES)[number];

const Name = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must be 1–100 letters, digits, _ . : -"),
);
const UserRecordSchema = v.pipe(
  v.object({
    /** The token itself (demo files), or … */
    token: v.optional(v.pipe(v.string(), v.minLength(16, "must be at least 16 characters"))),
    /** … only its SHA-256 in hex (what `npm run mint-agent-token` writes: the file never holds the secret). */
    token_sha256: v.optional(
      v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits")),
    ),
    id: Name,
    name: v.pipe(v.string(), v.minLength(1, "must not be empty")),
    org_id: Name,
    roles: v.pipe(
      v.array(v.picklist(USER_ROLES, "must be admin, supervisor, viewer or agent")),
      v.minLength(1, "needs a role"),
    ),
    /** Role agent: the agent ids whose sessions this token may publish (and receive interventions for). */
    agent_ids: v.optional(v.pipe(v.array(Name), v.minLength(1, "needs at least one agent id"))),
  }),
  v.check(
    (u) => (u.token === undefined) !== (u.token_sha256 === undefined),
    "needs token or token_sha256 (one of them)",
  ),
  v.check(
    (u) => !u.roles.includes("agent") || (u.roles.length === 1 && (u.agent_ids?.length ?? 0) > 0),
    "an agent token has the role agent alone and lists its agent_ids",
  ),
);
const UsersSchema = v.pipe(v.array(UserRecordSchema), v.minLength(1, "must list at least one user"));

export type UserRecord = v.InferOutput<typeof UserRecordSchema>;

export function parseUsers(json: unknown): { ok: true; value: UserRecord[] } | { ok: false; error: string } {
  const r = decodeWith(UsersSchema, json);
  if (!r.ok) return { ok: false, error: `${r.error.path || "(root)"} ${r.error.message}` };
  const seen = new Set<string>();
  for (const u of r.value) {
    const key = u.token_sha256 ?? tokenDigestHex(u.token ?? "");
    if (seen.has(key)) return { ok: false, error: `user ${u.id}: token is used twice` };
    seen.add(key);
  }
  return r;
}

export function tokenDigestHex(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function permissionsOf(roles: readonly string[]): string[] {
  if (roles.includes("agent")) return ["agent:publish"];
  const perms = ["sessions:read"];
  if (roles.includes("admin") || roles.includes("supervisor")) perms.push("sessions:intervene");
  if (roles.includes("admin")) perms.push("sessions:monitoring");
  return perms;
}
