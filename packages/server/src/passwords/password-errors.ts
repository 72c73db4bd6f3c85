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
