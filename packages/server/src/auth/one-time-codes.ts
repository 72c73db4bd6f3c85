import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import type { Queryable } from "../store/database.js";
import {
  type CodePurpose,
  type CodeRow,
  consumeCode,
  countWrongAttempt,
  insertCode,
  lockCode,
  lockLatestCode,
} from "../store/one-time-codes.js";
import { randomId } from "./ids.js";

/**
 * One-time codes sent by mail (OWASP Forgot Password Cheat Sheet): each mail carries a short code
 * to type and a link to follow; either works once, within its expiry, and a few wrong guesses
 * spend it. Only HMACs of both are stored, under a server secret (keys/server-secrets.ts,
 * code_binding), so a database reader cannot brute-force a 40-bit code offline. Issuing a code
 * retires the earlier ones of the same user and purpose: only the latest mail works.
 */

/** Wrong codes allowed before a code is spent. */
export const MAX_CODE_ATTEMPTS = 5;

/** Digits and capitals without the look-alikes 0/O, 1/I/L and U/V: 30 symbols, so 8 carry 39 bits. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LENGTH = 8;

export interface IssuedCode {
  /** To type: `XXXX-XXXX`. */
  readonly code: string;
  /** For the mail's link (`<id>.<secret>`): a page asks for one click before it is used. */
  readonly linkToken: string;
  readonly expiresAt: Date;
}

/** What a code is checked against: the code a person typed (for one user), or a link's token. */
export type CodeProof = { readonly code: string } | { readonly linkToken: string };

export type CodeCheck =
  | { readonly ok: true; readonly row: CodeRow }
  | { readonly ok: false; readonly reason: "unknown" | "expired" | "spent" | "wrong" };

function mac(key: Buffer, purpose: CodePurpose, id: string, kind: "code" | "link", value: string): Buffer {
  return createHmac("sha256", key).update(`sigil/one-time-code/v1\0${purpose}\0${id}\0${kind}\0${value}`).digest();
}

/** A typed code as stored: upper case, without spaces or dashes. */
export function normalizeCode(typed: string): string {
  return typed.replace(/[\s-]/g, "").toUpperCase();
}

/** Stores a new code for `userId` and `purpose`, sent to `email`; returns what the mail carries. */
export async function issueCode(
  tx: Queryable,
  key: Buffer,
  input: { purpose: CodePurpose; userId: string; email: string; now: Date; ttlSeconds: number },
): Promise<IssuedCode> {
  const id = randomId();
  let raw = "";
  for (let i = 0; i < CODE_LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  const secret = randomBytes(32).toString("base64url");
  const expiresAt = new Date(input.now.getTime() + input.ttlSeconds * 1000);
  await insertCode(tx, {
    id,
    purpose: input.purpose,
    userId: input.userId,
    email: input.email,
    codeHash: mac(key, input.purpose, id, "code", raw),
    linkHash: mac(key, input.purpose, id, "link", secret),
    createdAt: input.now,
    expiresAt,
  });
  return { code: `${raw.slice(0, 4)}-${raw.slice(4)}`, linkToken: `${id}.${secret}`, expiresAt };
}

/**
 * Checks a proof and, when it holds, spends the code — in the caller's transaction, with the row
 * locked, so two submissions of one code cannot both succeed. A typed code is checked against
 * the user's latest live code of that purpose; a wrong one counts an attempt (the last allowed
 * one spends the code).
 */
export async function spendCode(
  tx: Queryable,
  key: Buffer,
  input: { purpose: CodePurpose; proof: CodeProof; userId?: string; now: Date },
): Promise<CodeCheck> {
  const { purpose, proof, now } = input;
  let row: CodeRow | null;
  let presented: Buffer;
  let kind: "code" | "link";
  if ("linkToken" in proof) {
    const [id, secret, extra] = proof.linkToken.split(".");
    if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64)
      return { ok: false, reason: "unknown" };
    row = await lockCode(tx, id);
    if (!row || row.purpose !== purpose) return { ok: false, reason: "unknown" };
    presented = mac(key, purpose, row.id, "link", secret);
    kind = "link";
  } else {
    if (input.userId === undefined) return { ok: false, reason: "unknown" };
    row = await lockLatestCode(tx, input.userId, purpose);
    if (!row) return { ok: false, reason: "unknown" };
    presented = mac(key, purpose, row.id, "code", normalizeCode(proof.code).slice(0, 64));
    kind = "code";
  }
  if (row.consumedAt !== null) return { ok: false, reason: "spent" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const stored = Buffer.from(kind === "code" ? row.codeHash : row.linkHash);
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) {
    await countWrongAttempt(tx, row.id, MAX_CODE_ATTEMPTS, now);
    return { ok: false, reason: "wrong" };
  }
  await consumeCode(tx, row.id, now);
  return { ok: true, row };
}
