/**
 * `npm run mint-agent-token -- --org ORG --agent a1,a2 [--users FILE] [--name NAME] [--id ID]`:
 * makes a new agent token, appends its SHA-256 (never the token) to the users
 * file as a user with the role `agent`, bound to ORG and those agent ids, and
 * prints the token once. Restart the gateway to load it.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseUsers, tokenDigestHex } from "../gateway/auth/users.ts";

function fail(message: string): never {
  process.stderr.write(`mint-agent-token: ${message}\n`);
  process.exit(2);
}

let values: { org?: string; agent?: string; users?: string; name?: string; id?: string; help?: boolean };
try {
  values = parseArgs({
    options: {
      org: { type: "string" },
      agent: { type: "string" },
      users: { type: "string", default: process.env.LC_USERS ?? "gateway/auth/demo-users.json" },
      name: { type: "string" },
      id: { type: "string" },
      help: { type: "boolean" },
    },
  }).values;
} catch (e) {
  fail((e as Error).message);
}
if (values.help || !values.org || !values.agent) {
  process.stdout.write(
    "Usage: npm run mint-agent-token -- --org ORG --agent AGENT_ID[,AGENT_ID…] [--users FILE] [--name NAME] [--id ID]\n",
  );
  process.exit(values.help ? 0 : 2);
}
const file = resolve(values.users ?? "gateway/auth/demo-users.json");
let users: unknown[];
try {
  const json: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(json)) fail(`${file} is not a JSON array of users`);
  users = json;
} catch (e) {
  fail(`cannot read ${file}: ${(e as Error).message}`);
}
const token = `lc_agent_${randomBytes(24).toString("hex")}`;
const agentIds = values.agent
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const id = values.id ?? `rt_${randomBytes(4).toString("hex")}`;
const record = {
  token_sha256: tokenDigestHex(token),
  id,
  name: values.name ?? `Agent runtime ${agentIds.join(", ")}`,
  org_id: values.org,
  roles: ["agent"],
  agent_ids: agentIds,
};
const next = [...users, record];
const check = parseUsers(next);
if (!check.ok) fail(check.error);
const tmp = `${file}.tmp`;
writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
renameSync(tmp, file);
process.stdout.write(
  `Added agent runtime ${id} (org ${values.org}, agents ${agentIds.join(", ")}) to ${file}.\n` +
    `Its token — shown once, only its SHA-256 is stored:\n\n  ${token}\n\nRestart the gateway to load it.\n`,
);
