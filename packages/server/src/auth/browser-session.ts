import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { HOSTED_PAGES_CLIENT_ID } from "../clients/client.js";
import {
  findBrowserSession,
  insertBrowserSession,
  replaceBrowserSecret,
  type SessionRecord,
  touchSession,
} from "../store/sessions.js";
import type { AuthContext, Principal } from "./context.js";
import { randomId } from "./ids.js";

/**
 * The browser session of the hosted pages: an ordinary session row (listed, ended and revoked
 * like any other) whose credential is an opaque cookie value `<session id>.<secret>` — 256 random
 * bits, of which only SHA-256 is stored (a slow hash buys nothing against 256 bits; a database
 * reader still cannot forge a cookie). It carries no token: nothing in the browser can be read by
 * a script or replayed elsewhere. The idle and absolute lifetimes are the refresh tokens'
 * (SIGIL_REFRESH_IDLE_TTL, SIGIL_REFRESH_ABSOLUTE_TTL).
 */

/** A use moves the idle deadline at most once a minute: a page view must not be a write each time. */
const TOUCH_INTERVAL_MS = 60_000;

export interface BrowserCredential {
  /** The cookie's value. */
  readonly value: string;
  readonly sessionId: string;
  /** When the session ends at the latest (the cookie's Expires). */
  readonly expiresAt: Date;
}

export interface BrowserSession {
  readonly principal: Principal & { sid: string };
  readonly session: SessionRecord;
}

function newSecret(): { secret: string; hash: Buffer } {
  const secret = randomBytes(32).toString("base64url");
  return { secret, hash: hashSecret(secret) };
}

function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

/** Starts a browser session for a user who just signed in; a new id and secret every time (no fixation). */
export async function startBrowserSession(
  ctx: AuthContext,
  input: { userId: string; userAgent: string | null; ip: string | null },
): Promise<BrowserCredential> {
  const now = ctx.now();
  const id = randomId();
  const absoluteExpiresAt = new Date(now + ctx.config.refreshAbsoluteTtl * 1000);
  const idleExpiresAt = new Date(Math.min(now + ctx.config.refreshIdleTtl * 1000, absoluteExpiresAt.getTime()));
  const { secret, hash } = newSecret();
  await insertBrowserSession(ctx.db, {
    id,
    userId: input.userId,
    clientId: HOSTED_PAGES_CLIENT_ID,
    now: new Date(now),
    absoluteExpiresAt,
    idleExpiresAt,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    ip: input.ip?.slice(0, 64) ?? null,
    secretHash: hash,
  });
  return { value: `${id}.${secret}`, sessionId: id, expiresAt: absoluteExpiresAt };
}

/**
 * The live session a cookie value names, or null — unknown, ended (logout anywhere, a password
 * reset, an operator), expired, or a secret that does not match. A use moves the idle deadline.
 */
export async function resumeBrowserSession(
  ctx: AuthContext,
  value: string | undefined,
): Promise<BrowserSession | null> {
  if (value === undefined || value.length > 128) return null;
  const [id, secret, extra] = value.split(".");
  if (!id || !secret || extra !== undefined) return null;
  const session = await findBrowserSession(ctx.db, id);
  if (!session || session.endedAt !== null) return null;
  const stored = Buffer.from(session.secretHash);
  const presented = hashSecret(secret);
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return null;
  const now = ctx.now();
  if (session.absoluteExpiresAt.getTime() <= now || session.idleExpiresAt.getTime() <= now) return null;
  if (now - session.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchSession(ctx.db, session.id, {
      now: new Date(now),
      idleExpiresAt: new Date(now + ctx.config.refreshIdleTtl * 1000),
    });
  }
  return { principal: { sub: session.userId, sid: session.id }, session };
}

/**
 * Gives a live browser session a new secret after a change of privilege (a password or email
 * change): a cookie copied before it stops working. Null when the session has ended meanwhile.
 */
export async function renewBrowserCredential(
  ctx: AuthContext,
  session: Pick<SessionRecord, "id" | "absoluteExpiresAt">,
  options: { reauthenticated?: boolean } = {},
): Promise<BrowserCredential | null> {
  const { secret, hash } = newSecret();
  // Signed in again (an app asked for a fresh sign-in): the session keeps its apps, gets a new
  // secret, and its auth_time moves.
  const at = options.reauthenticated ? new Date(ctx.now()) : undefined;
  const replaced = await replaceBrowserSecret(ctx.db, session.id, hash, at);
  return replaced
    ? { value: `${session.id}.${secret}`, sessionId: session.id, expiresAt: session.absoluteExpiresAt }
    : null;
}
