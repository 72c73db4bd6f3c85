import { BCRYPT_HASH, DUMMY_HASH, OWASP_ARGON2ID_MINIMUMS, parseArgon2Hash } from "./argon2-params.js";
import { BoundedQueue } from "./bounded-queue.js";
import type { HashJob } from "./hash-job.js";
import { HashWorkerPool } from "./hash-worker-pool.js";
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
  /** Jobs finished so far, by kind: new hashes, and verifications (dummy ones included). */
  readonly completed: { readonly hash: number; readonly verify: number };
  /** Stops the hashing threads (server shutdown); later calls fail. Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates the server's password hasher: a pool of `concurrency` worker threads (hash-worker.ts)
 * behind a bounded queue. The threads run argon2id and bcrypt at a lowered OS priority, so a
 * login flood takes the cores the event loop leaves over instead of starving token checks; the
 * queue lets at most `queueLimit` jobs wait and refuses more with HashQueueFullError (→ 503 +
 * Retry-After). Verifications go ahead of new hashes (bounded-queue.ts), so a registration
 * flood cannot push sign-ins behind it. Off libuv's pool, hashing no longer competes with file,
 * DNS or database work.
 *
 * @example
 * const hasher = createPasswordHasher({ concurrency: 2, queueLimit: 64 });
 * const stored = await hasher.hash("correct horse battery staple");
 * await hasher.verify(stored, "correct horse battery staple"); // true
 * await hasher.close();
 */
export function createPasswordHasher(options: { concurrency: number; queueLimit: number }): PasswordHasher {
  const queue = new BoundedQueue(options);
  const pool = new HashWorkerPool({ size: options.concurrency });
  const completed = { hash: 0, verify: 0 };
  // New hashes wait in the background line, verifications (sign-ins) in the interactive one.
  const run = async (job: HashJob): Promise<string | boolean> => {
    const kind = job.op === "hash" ? "hash" : "verify";
    const result = await queue.run(() => pool.run(job), kind === "hash" ? "background" : "interactive");
    completed[kind]++;
    return result;
  };
  return {
    hash: async (password) => {
      const hash = await run({ op: "hash", password: normalize(password) });
      if (typeof hash !== "string") throw new TypeError("the hashing thread answered no hash");
      return hash;
    },
    // async: an unsupported hash is a rejection, like every other failure, and takes no slot.
    verify: async (hash, password) => (await run(verifyJob(hash, password))) === true,
    needsRehash,
    verifyDummy: async (password) => {
      await run({ op: "verifyArgon2", hash: DUMMY_HASH, password: normalize(password) });
      return false;
    },
    get queueDepth() {
      return queue.waiting;
    },
    get active() {
      return queue.running;
    },
    completed,
    close: () => pool.close(),
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

function verifyJob(hash: string, password: string): HashJob {
  if (parseArgon2Hash(hash) !== undefined) return { op: "verifyArgon2", hash, password: normalize(password) };
  if (BCRYPT_HASH.test(hash)) {
    // bcrypt reads at most 72 bytes, as the system that made the hash did; the hash is replaced
    // by argon2id at this login (needsRehash), which has no such limit.
    return { op: "verifyBcrypt", hash, password };
  }
  throw new UnsupportedHashError();
}

/**
 * True for bcrypt, other argon2 variants or versions, and argon2id weaker than every one of
 * OWASP's equal parameter sets. A hash that meets any of them (such as Sigil's earlier default,
 * m = 19 MiB, t = 2) is as strong as a new one and stays: rehashing it would cost a second hash
 * at the user's next login for no gain.
 */
export function needsRehash(hash: string): boolean {
  const params = parseArgon2Hash(hash);
  if (params === undefined) return true;
  if (params.variant !== "argon2id" || params.version !== 19) return true;
  return !OWASP_ARGON2ID_MINIMUMS.some(
    (minimum) => params.memoryCost >= minimum.memoryCost && params.timeCost >= minimum.timeCost,
  );
}
