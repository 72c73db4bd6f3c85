/** What the event loop sends a hashing thread (hash-worker.ts): one job, answered by one HashJobResult. */
export type HashJob =
  | { readonly op: "hash"; readonly password: string }
  | { readonly op: "verifyArgon2"; readonly hash: string; readonly password: string }
  | { readonly op: "verifyBcrypt"; readonly hash: string; readonly password: string };

/** A hash (op "hash"), a verify outcome, or the message of what the binding threw. */
export type HashJobResult =
  | { readonly ok: true; readonly value: string | boolean }
  | { readonly ok: false; readonly message: string };
