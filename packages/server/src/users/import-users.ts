import { normalizeEmail } from "../auth/email.js";
import { randomId } from "../auth/ids.js";
import { BCRYPT_HASH, parseArgon2Hash } from "../passwords/argon2-params.js";
import type { Queryable } from "../store/database.js";
import { insertUser } from "../store/users.js";

/** What became of one input line. `line` is 1-based; blank lines produce no result. */
export type ImportResult =
  | { readonly line: number; readonly status: "imported"; readonly email: string; readonly id: string }
  | { readonly line: number; readonly status: "skipped"; readonly email: string; readonly reason: "already exists" }
  | { readonly line: number; readonly status: "rejected"; readonly reason: string };

export interface ImportOptions {
  /** The created_at of imported users (default: now). */
  readonly now?: () => Date;
}

const MAX_LINE_CHARS = 16 * 1024;
const FIELDS = new Set(["email", "password_hash", "roles"]);
const ROLE = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_ROLES = 32;
/** Argon2 parameters beyond these would make each login of the user a denial of service. */
const ARGON2_LIMITS = { memoryCost: 1_048_576, timeCost: 20, parallelism: 16 };

/**
 * Imports users from JSON lines `{"email", "password_hash", "roles"}` (for `sigil users import`),
 * keeping their bcrypt ($2a$/$2b$/$2y$, cost 4–31) or argon2id hashes: they log in with their old
 * password and are re-hashed to argon2id at that login. Yields one result per non-blank line.
 * Emails are normalized as at login (trim, NFC, lower-case); `ON CONFLICT DO NOTHING` on the
 * normalized email means running an import twice imports nothing twice. A message never
 * contains a hash.
 *
 * @param input the file's text, or its lines (e.g. a readline interface).
 * @example
 * for await (const result of importUsers(db, readline.createInterface({ input: stream }))) {
 *   console.log(formatImportResult(result));
 * }
 */
export async function* importUsers(
  db: Queryable,
  input: AsyncIterable<string> | Iterable<string> | string,
  options: ImportOptions = {},
): AsyncGenerator<ImportResult> {
  const now = options.now ?? (() => new Date());
  const lines = typeof input === "string" ? input.split("\n") : input;
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = raw.replace(/\r$/, "");
    if (text.trim() === "") continue;
    const parsed = parseImportLine(text);
    if (typeof parsed === "string") {
      yield { line, status: "rejected", reason: parsed };
      continue;
    }
    const id = randomId();
    const inserted = await insertUser(db, { id, ...parsed, now: now() });
    yield inserted === null
      ? { line, status: "skipped", email: parsed.emailNormalized, reason: "already exists" }
      : { line, status: "imported", email: parsed.emailNormalized, id };
  }
}

interface ImportRecord {
  email: string;
  emailNormalized: string;
  passwordHash: string;
  roles: string[];
}

/** A valid record, or why the line is refused. */
export function parseImportLine(text: string): ImportRecord | string {
  if (text.length > MAX_LINE_CHARS) return `line longer than ${MAX_LINE_CHARS} characters`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return 'not a JSON object like {"email": …, "password_hash": …, "roles": […]}';
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) return `unknown field ${JSON.stringify(unknown[0]?.slice(0, 40))}`;
  if (typeof record["email"] !== "string") return "email is missing or not a string";
  const email = normalizeEmail(record["email"]);
  if (email === null) return "email is not an email address";
  const hash = record["password_hash"];
  if (typeof hash !== "string") return "password_hash is missing or not a string";
  const hashProblem = checkImportedHash(hash);
  if (hashProblem !== null) return hashProblem;
  const roles = parseRoles(record["roles"]);
  if (typeof roles === "string") return roles;
  return { email: email.email, emailNormalized: email.normalized, passwordHash: hash, roles };
}

function checkImportedHash(hash: string): string | null {
  if (/^\$2[aby]\$/.test(hash)) {
    const match = BCRYPT_HASH.exec(hash);
    if (!match) return "password_hash is not a well-formed bcrypt hash ($2b$NN$ and 53 characters)";
    const cost = Number(match[1]);
    if (cost < 4 || cost > 31) return `password_hash has bcrypt cost ${cost}; bcrypt allows 4 to 31`;
    return null;
  }
  if (hash.startsWith("$argon2id$")) {
    const params = parseArgon2Hash(hash);
    if (params === undefined || params.version !== 19) return "password_hash is not a well-formed argon2id hash (v=19)";
    if (
      params.memoryCost > ARGON2_LIMITS.memoryCost ||
      params.timeCost > ARGON2_LIMITS.timeCost ||
      params.parallelism > ARGON2_LIMITS.parallelism
    ) {
      return "password_hash has argon2id parameters too costly to verify at login (m <= 1 GiB, t <= 20, p <= 16)";
    }
    return null;
  }
  return "password_hash is neither bcrypt ($2a$, $2b$, $2y$) nor argon2id ($argon2id$)";
}

function parseRoles(value: unknown): string[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return "roles must be an array of strings";
  if (value.length > MAX_ROLES) return `at most ${MAX_ROLES} roles`;
  const roles: string[] = [];
  for (const role of value) {
    if (typeof role !== "string" || !ROLE.test(role)) {
      return "each role must be 1 to 64 characters of letters, digits and _ . : -";
    }
    if (!roles.includes(role)) roles.push(role);
  }
  return roles;
}

/** One report line: "line 3: imported alice@example.com", "line 4: skipped: already exists (…)", "line 5: rejected: …". */
export function formatImportResult(result: ImportResult): string {
  switch (result.status) {
    case "imported":
      return `line ${result.line}: imported ${result.email}`;
    case "skipped":
      return `line ${result.line}: skipped: already exists (${result.email})`;
    case "rejected":
      return `line ${result.line}: rejected: ${result.reason}`;
  }
}
