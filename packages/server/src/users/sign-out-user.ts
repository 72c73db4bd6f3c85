import { normalizeEmail } from "../auth/email.js";
import { endEverySession } from "../auth/revoke-sessions.js";
import type { ServerConfig } from "../config/config.js";
import type { Database } from "../store/database.js";
import { findUserByEmail } from "../store/users.js";

export interface SignedOutUser {
  readonly userId: string;
  /** Sessions ended (the user's, and every app session signed in from them). */
  readonly sessionsEnded: number;
  /** Every access token of the user issued before this time is refused, at every verifier. */
  readonly tokensBefore: Date;
}

/**
 * An operator's sign-out of a user (`sigil users sign-out`): every session ends and every access
 * token issued before now is refused — by the servers at once and, through the revocation feed
 * that the same commit notifies, by every verifier. Null when no user has this email.
 *
 * @example
 * const result = await signOutUser(db, config, "alice@example.com");
 */
export async function signOutUser(
  db: Database,
  config: ServerConfig,
  email: string,
  options: { now?: () => number } = {},
): Promise<SignedOutUser | null> {
  const normalized = normalizeEmail(email);
  const user = normalized === null ? null : await findUserByEmail(db, normalized.normalized);
  if (user === null) return null;
  const now = options.now ?? Date.now;
  const at = now();
  const ended = await db.transaction((tx) => endEverySession(tx, { now: () => at, config }, user.id, "admin"));
  return { userId: user.id, sessionsEnded: ended.length, tokensBefore: new Date(Math.floor(at / 1000) * 1000) };
}
