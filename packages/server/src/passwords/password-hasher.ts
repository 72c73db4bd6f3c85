import { hash as argon2Hash, verify as argon2Verify } from "@node-rs/argon2";
import { verify as bcryptVerify } from "@node-rs/bcrypt";
import { ARGON2_OPTIONS, ARGON2_PARAMS, BCRYPT_HASH, DUMMY_HASH, parseArgon2Hash } from "./argon2-params.js";
import { BoundedQueue } from "./bounded-queue.js";
import { UnsupportedHashError } from "./password-errors.js";

/** Hashes and verifies passwords off the event loop, at most `concurrency` at once. */
export interface PasswordHasher {
  /** An argon2id PHC string of the NFC-normalized password. */
  hash(password: string): Promise<string>;
  /** Checks a password against an argon2 or a bcrypt ($2a$/$2b$/$2y$) hash. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when the hash should be replaced by a fresh argon2id one after a successful login. */
  needsRehash(hash: string): boolean;
  /** A real argon2id verify against a dummy hash: the same cost as a wrong password. */
  verifyDummy(password: string): Promise<false>;
  /** Jobs waiting for a hashing slot. */
  readonly queueDepth: number;
  /** Jobs hashing now. */
  readonly active: number;
}

/**
 * Creates the server's password hasher. @node-rs/argon2 already runs each hash on the libuv
 * thread pool; the bounded queue on top keeps a login flood from holding every pool thread (file,
 * DNS and PGlite work need them too) and refuses work beyond `queueLimit` waiting jobs with
 * HashQueueFullError (→ 503 + Retry-After).
 *
 * @example
 * const hasher = createPasswordHasher({ concurrency: 2, queueLimit: 64 });
 * const stored = await hasher.hash("correct horse battery staple");
 * await hasher.verify(stored, "correct horse battery staple"); // true
 */
export function createPasswordHasher(options: { concurrency: number; queueLimit: number }): PasswordHasher {
  const queue = new BoundedQueue(options);
  return {
    hash: (password) => queue.run(() => argon2Hash(normalize(password), ARGON2_OPTIONS)),
    verify: (hash, password) => queue.run(() => verifyAny(hash, password)),
    needsRehash,
    verifyDummy: async (password) => {
      await queue.run(() => argon2Verify(DUMMY_HASH, normalize(password)));
      return false;
    },
    get queueDepth() {
      return queue.waiting;
    },
    get active() {
      return queue.running;
    },
  };
}

/**
 * NFC so that the same password typed on two keyboards (composed "é" vs "e" + U+0301) is the
 * same password (NIST SP 800-63B §5.1.1.2). Only for our own argon2 hashes: imported bcrypt hashes
 * were made from the bytes the old system received, so they are checked as given.
 */
function normalize(password: string): string {
  return password.normalize("NFC");
}

async function verifyAny(hash: string, password: string): Promise<boolean> {
  if (parseArgon2Hash(hash) !== undefined) return argon2Verify(hash, normalize(password));
  if (BCRYPT_HASH.test(hash)) {
    // bcrypt reads at most 72 bytes, as the system that made the hash did; the hash is replaced
    // by argon2id at this login (needsRehash), which has no such limit.
    return bcryptVerify(password, hash);
  }
  throw new UnsupportedHashError();
}

/** True for bcrypt, other argon2 variants or versions, and argon2id weaker than ARGON2_PARAMS. */
export function needsRehash(hash: string): boolean {
  const params = parseArgon2Hash(hash);
  if (params === undefined) return true;
  return (
    params.variant !== "argon2id" ||
    params.version !== 19 ||
    params.memoryCost < ARGON2_PARAMS.memoryCost ||
    params.timeCost < ARGON2_PARAMS.timeCost
  );
}
