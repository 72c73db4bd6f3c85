import { createPrivateKey } from "node:crypto";
import {
  type AsymmetricAlgorithm,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWSAlgorithm,
  type SigningKey,
  type VerificationKey,
} from "@sigil/jwt";
import type { SigningKeyRow } from "../store/signing-keys.js";
import { openPrivateKey, sealPrivateKey } from "./key-encryption.js";

export interface NewKeyOptions {
  kek: Buffer | undefined;
  activatesAt: Date;
  retiresAt?: Date | null;
  createdAt: Date;
}

/** Generates a key pair and the row that stores it (private half sealed under the KEK). */
export async function generateStoredKey(alg: AsymmetricAlgorithm, options: NewKeyOptions): Promise<SigningKeyRow> {
  const pair = await generateKeyPair(alg);
  const pkcs8 = pair.privateKey.export({ format: "der", type: "pkcs8" });
  try {
    return {
      kid: pair.kid,
      alg,
      publicJwk: exportJWK(pair.publicKey, { alg, kid: pair.kid }),
      privateKeyEncrypted: sealPrivateKey(pkcs8, { kid: pair.kid, kek: options.kek }),
      createdAt: options.createdAt,
      activatesAt: options.activatesAt,
      retiresAt: options.retiresAt ?? null,
    };
  } finally {
    pkcs8.fill(0);
  }
}

export interface LoadedKey {
  verification: VerificationKey;
  /** Absent for a retired key: only its public half is needed any more. */
  signing: SigningKey | undefined;
}

/**
 * The keys of a stored row. The private half is opened only when the key may still sign, and a
 * KEK mismatch throws (KeyEncryptionError) instead of leaving the server unable to sign later.
 */
export function loadStoredKey(
  row: SigningKeyRow,
  options: { kek: Buffer | undefined; needsPrivate: boolean },
): LoadedKey {
  const alg = row.alg as JWSAlgorithm;
  const verification = importJWK(row.publicJwk, { alg, kid: row.kid }) as VerificationKey;
  if (!options.needsPrivate) return { verification, signing: undefined };
  const pkcs8 = openPrivateKey(row.privateKeyEncrypted, { kid: row.kid, kek: options.kek });
  try {
    const key = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
    return { verification, signing: Object.freeze({ kid: row.kid, alg, key }) };
  } finally {
    pkcs8.fill(0);
  }
}
