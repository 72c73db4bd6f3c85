import type { AsymmetricAlgorithm } from "@sigil/jwt";
import type { Database } from "../store/database.js";
import {
  deleteRetiredSigningKeys,
  insertSigningKey,
  listSigningKeys,
  lockSigningKeys,
  retireSigningKey,
  type SigningKeyRow,
} from "../store/signing-keys.js";
import { announceKeyChange } from "./key-change-channel.js";
import { type KeyConfig, publishLeadMs, retainMs } from "./key-timeline.js";
import { generateStoredKey } from "./stored-key.js";

export interface RotateKeysOptions {
  /** The clock, in ms since 1970 (tests freeze it). */
  now?: () => number;
  /** Rotate only when the signing key has signed for longer than this (the schedule). */
  ifOlderThanSeconds?: number;
}

export interface RotationResult {
  /** The key that takes over. */
  kid: string;
  alg: string;
  /** When it starts signing; it is published from now on. */
  activatesAt: Date;
  /** False when a rotation was already pending and that key is returned. */
  created: boolean;
  /** Keys that stop signing at activatesAt (kept in the JWKS until their tokens have expired). */
  retired: string[];
}

/** An error from key management that an operator must act on. */
export class KeyManagementError extends Error {
  override readonly name = "KeyManagementError";
}

/** Keys that sign at `now`. */
export function activeKeys(rows: readonly SigningKeyRow[], now: number): SigningKeyRow[] {
  return rows.filter(
    (row) => row.activatesAt.getTime() <= now && (row.retiresAt === null || row.retiresAt.getTime() > now),
  );
}

/**
 * Starts a key rotation (`sigil keys rotate`, and the schedule): a new key is stored now,
 * published at once and signing from now + publish lead; every key that would still sign then
 * retires at that instant and stays published until its tokens have expired. Instances take
 * turns through an advisory lock, so two schedules firing together rotate once. The commit is
 * announced on KEY_CHANGES_CHANNEL, so running servers publish the new key at once.
 *
 * @returns the key taking over, or null when `ifOlderThanSeconds` says it is not time yet.
 * @example
 * const result = await rotateKeys(db, config);
 * console.log(`${result.kid} signs from ${result.activatesAt.toISOString()}`);
 */
export async function rotateKeys(
  db: Database,
  config: KeyConfig,
  options: RotateKeysOptions = {},
): Promise<RotationResult | null> {
  if (config.signingAlg === "HS256") {
    throw new KeyManagementError(
      "HS256 single-service mode signs with SIGIL_HMAC_SECRET: rotate by changing that secret (tokens signed with the old one stop verifying).",
    );
  }
  const alg: AsymmetricAlgorithm = config.signingAlg;
  const now = (options.now ?? Date.now)();
  const switchAt = now + publishLeadMs(config);
  return db.transaction(async (tx) => {
    await lockSigningKeys(tx);
    const rows = await listSigningKeys(tx);
    const pending = rows.filter((row) => row.activatesAt.getTime() > now && row.retiresAt === null);
    const latestPending = pending.at(-1);
    if (latestPending) {
      return {
        kid: latestPending.kid,
        alg: latestPending.alg,
        activatesAt: latestPending.activatesAt,
        created: false,
        retired: [],
      };
    }
    const active = activeKeys(rows, now);
    const newest = active.at(-1);
    if (options.ifOlderThanSeconds !== undefined && newest !== undefined) {
      const ageSeconds = (now - newest.activatesAt.getTime()) / 1000;
      if (ageSeconds < options.ifOlderThanSeconds && newest.alg === alg) return null;
    }
    const row = await generateStoredKey(alg, {
      kek: config.keyEncryptionKey,
      createdAt: new Date(now),
      activatesAt: new Date(switchAt),
    });
    await insertSigningKey(tx, row);
    const retired: string[] = [];
    for (const old of rows) {
      if (old.retiresAt === null || old.retiresAt.getTime() > switchAt) {
        await retireSigningKey(tx, old.kid, new Date(Math.max(switchAt, old.activatesAt.getTime())));
        retired.push(old.kid);
      }
    }
    await announceKeyChange(tx, row.kid);
    return { kid: row.kid, alg, activatesAt: row.activatesAt, created: true, retired };
  });
}

/** Deletes keys no unexpired token can need any more. Returns how many. */
export async function deleteExpiredKeys(
  db: Database,
  config: KeyConfig,
  options: { now?: () => number } = {},
): Promise<number> {
  const now = (options.now ?? Date.now)();
  return deleteRetiredSigningKeys(db, new Date(now - retainMs(config)));
}
