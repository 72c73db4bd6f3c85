/**
 * The password-hashing queue is full: the server is saturated with logins. Answer 503 with
 * `Retry-After: retryAfterSeconds` rather than queueing without bound (which would only turn a
 * flood into timeouts for everyone, and hold memory for each waiting request).
 */
export class HashQueueFullError extends Error {
  override readonly name = "HashQueueFullError";
  readonly code = "HASH_QUEUE_FULL";
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(`password hashing is saturated; retry in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A stored hash that is neither argon2 nor bcrypt: corrupt data, never a user's mistake. */
export class UnsupportedHashError extends Error {
  override readonly name = "UnsupportedHashError";
  readonly code = "HASH_UNSUPPORTED";

  constructor() {
    // The hash itself stays out of the message: it is still secret-derived material.
    super("the stored password hash has an unsupported format (expected $argon2id$ or $2a$/$2b$/$2y$ bcrypt)");
  }
}

/**
 * What the password-hashing codes mean and how to solve them, for docs/errors.md. Both stay
 * inside the server: clients see the auth server's hash_queue_full or a plain 500 server_error.
 */
export const PASSWORD_ERRORS = {
  HASH_QUEUE_FULL: {
    summary:
      "More password-hash jobs (logins, registrations, password changes) wait than SIGIL_HASH_QUEUE_LIMIT allows, so this one is refused at once instead of queueing without bound. Clients get the auth server's hash_queue_full: 503 temporarily_unavailable with Retry-After.",
    fix: "Clients retry after Retry-After. If it happens under normal load rather than a login flood, add hashing capacity: more cores or instances (SIGIL_HASH_CONCURRENCY defaults to the CPU cores − 1; each running hash holds 12 MiB). Raise SIGIL_HASH_QUEUE_LIMIT only to absorb short bursts: waiting jobs turn into slow answers. In a flood of failed logins, the login rate limits (SIGIL_LOGIN_ACCOUNT_FAILURES, SIGIL_LOGIN_ADDRESS_FAILURES) refuse repeat offenders before any hashing.",
  },
  HASH_UNSUPPORTED: {
    summary:
      "A user's stored password_hash is neither argon2 (`$argon2id$…`) nor bcrypt (`$2a$`, `$2b$`, `$2y$`): corrupt or foreign data, never the user's mistake. That user's login and password change fail with 500 server_error, and the server logs an unhandled error with this code (never the hash).",
    fix: "Find the rows: `SELECT id, email FROM users WHERE password_hash NOT LIKE '$argon2%' AND password_hash NOT LIKE '$2_$%'`. Sigil writes argon2id only and `sigil users import` accepts only well-formed bcrypt or argon2id, so the value was changed outside Sigil: restore it from a backup or the source system's export, and find out how it changed.",
  },
} as const satisfies Record<
  HashQueueFullError["code"] | UnsupportedHashError["code"],
  { summary: string; fix: string }
>;
