/**
 * Bearer-token authentication. Tokens are compared as SHA-256 digests with
 * `timingSafeEqual` against every user (no early exit), and never logged.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { User } from "../../utils/protocol/index.ts";
import { permissionsOf, type UserRecord } from "./users.ts";

export interface AuthUser extends User {
  isAdmin: boolean;
  canIntervene: boolean;
  /** Role agent: may only use /v1/agent, for these agent ids. Null for every supervisor-side user. */
  agentIds: readonly string[] | null;
  /** The gateway's own simulation runtime: exempt from the agent frame budget. */
  internal?: boolean;
}

export interface Authenticator {
  authenticate(token: string | undefined | null): AuthUser | null;
  /** Reads `Authorization: Bearer …`. */
  fromHeader(header: string | undefined): AuthUser | null;
  /**
   * Revokes a token for the life of this process: it no longer authenticates.
   * Returns the user it belonged to (the very object `authenticate` returned,
   * so open connections can be found by identity), or null for an unknown token.
   */
  revoke(token: string): AuthUser | null;
  /** Adds a user for this process only (the simulation's own agent token). */
  addInternal(token: string, user: AuthUser): void;
  orgIds(): string[];
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

export function createAuthenticator(users: readonly UserRecord[]): Authenticator {
  const entries = users.map((u) => {
    const permissions = permissionsOf(u.roles);
    const user: AuthUser = {
      id: u.id,
      name: u.name,
      org_id: u.org_id,
      roles: [...u.roles],
      permissions,
      isAdmin: u.roles.includes("admin"),
      canIntervene: permissions.includes("sessions:intervene"),
      agentIds: u.roles.includes("agent") ? [...(u.agent_ids ?? [])] : null,
    };
    const hash = u.token_sha256 ? Buffer.from(u.token_sha256, "hex") : digest(u.token ?? "");
    return { hash, user, revoked: false };
  });
  function authenticate(token: string | undefined | null): AuthUser | null {
    if (typeof token !== "string" || token.length === 0 || token.length > 4096) return null;
    const h = digest(token);
    let found: AuthUser | null = null;
    for (const e of entries) if (timingSafeEqual(e.hash, h) && !e.revoked) found = e.user;
    return found;
  }
  return {
    authenticate,
    fromHeader(header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
      return m ? authenticate(m[1]) : null;
    },
    revoke(token) {
      const h = digest(token);
      const e = entries.find((x) => timingSafeEqual(x.hash, h));
      if (!e) return null;
      e.revoked = true;
      return e.user;
    },
    addInternal(token, user) {
      entries.push({ hash: digest(token), user, revoked: false });
    },
    orgIds: () => [...new Set(users.map((u) => u.org_id))],
  };
}

/** The user as sent on the wire (welcome, /v1/me). */
export function publicUser(u: AuthUser): User {
  return { id: u.id, name: u.name, org_id: u.org_id, roles: u.roles, permissions: u.permissions };
}
