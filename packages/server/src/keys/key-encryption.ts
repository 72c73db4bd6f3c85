import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Secrets at rest: private signing keys (the `signing_keys.private_key_encrypted` column) and the
 * server's own secrets (`server_secrets.sealed`, see server-secrets.ts).
 *
 * With a key-encryption key (KEK, 32 bytes from SIGIL_KEY_ENCRYPTION_KEY) a secret is
 * sealed with AES-256-GCM (NIST SP 800-38D): a fresh random 96-bit IV per encryption (the size GCM
 * is specified for; with random IVs the key stays far below the 2^32 invocations limit of §8.3),
 * a 128-bit tag, and the secret's name (a key's `kid`) as additional authenticated data — so a
 * ciphertext copied into another row (to make the server sign with a key an attacker planted or
 * knows) fails to open.
 *
 *   v1.<iv>.<ciphertext>.<tag>      (each part base64url)
 *   plain.<pkcs8>                   (development without a KEK only; the config warns loudly)
 */
const VERSION = "v1";
const PLAIN = "plain";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEK_BYTES = 32;
const ENV_NAME = "SIGIL_KEY_ENCRYPTION_KEY";

export type KeyEncryptionErrorCode =
  | "KEK_INVALID"
  | "KEK_REQUIRED"
  | "KEK_MISMATCH"
  | "STORED_KEY_PLAIN"
  | "STORED_KEY_MALFORMED";

/**
 * What each KeyEncryptionError code means and how to solve it, for docs/errors.md. They stop
 * `sigil serve` (and `sigil keys rotate`) at start, exit status 2; no client ever sees them.
 */
export const KEY_ENCRYPTION_ERRORS = {
  KEK_INVALID: {
    summary:
      "The key-encryption key given to the key store is not 32 bytes. `sigil serve` checks SIGIL_KEY_ENCRYPTION_KEY when it reads its settings (CONFIG_INVALID), so this comes from code that builds the server configuration itself.",
    fix: "Pass the 32 decoded bytes of SIGIL_KEY_ENCRYPTION_KEY (base64url-decode the value, do not pass its text), the same key the stored keys were sealed with. Generate a new one with `sigil secret` only for a database that holds no sealed keys yet.",
  },
  KEK_REQUIRED: {
    summary: "A stored signing key or server secret is encrypted (`v1.…`) but SIGIL_KEY_ENCRYPTION_KEY is not set.",
    fix: "Set SIGIL_KEY_ENCRYPTION_KEY to the key the signing keys were created with, on every instance and for the admin commands (`sigil keys rotate`) too; check that the secret reaches the process (environment or SIGIL_CONFIG_FILE).",
  },
  KEK_MISMATCH: {
    summary:
      "A stored signing key or server secret does not decrypt with SIGIL_KEY_ENCRYPTION_KEY: the key is not the one it was sealed with, or the row was altered or copied under another kid (AES-GCM cannot tell these apart, and Sigil will not sign with it).",
    fix: "Set SIGIL_KEY_ENCRYPTION_KEY to the key the signing keys were sealed with: every instance must share one value (look for a rotated, truncated or per-instance secret). If that key is lost, the signing keys cannot be recovered: set a new one from `sigil secret` and delete them (`DELETE FROM signing_keys`); a new key is created at the next start, tokens signed by the old ones stop verifying and users log in again. If the key is right, treat the row as tampered with and investigate.",
  },
  STORED_KEY_PLAIN: {
    summary:
      "A stored signing key is unencrypted (`plain.…`) although SIGIL_KEY_ENCRYPTION_KEY is set: it was created by a development run without a key-encryption key, or planted, and Sigil refuses to sign with it.",
    fix: "Keep SIGIL_KEY_ENCRYPTION_KEY set (production requires it) and delete the unencrypted keys: `DELETE FROM signing_keys WHERE private_key_encrypted LIKE 'plain.%'`. A sealed key is created at the next start when no active key remains; tokens signed by the deleted keys stop verifying. If no development run ever used this database, investigate how the row got there.",
  },
  STORED_KEY_MALFORMED: {
    summary:
      "A stored signing key is in neither stored form (`v1.<iv>.<ciphertext>.<tag>` or `plain.<pkcs8>`), or its IV or tag has the wrong length: the row was altered, truncated or written by another program.",
    fix: "Restore the signing_keys row from a backup. If that is impossible, delete it (`DELETE FROM signing_keys WHERE kid = '<kid>'`; the kid is in the message): a new key is created at the next start when no active key remains, and tokens the deleted key signed stop verifying. Find out how the row changed.",
  },
} as const satisfies Record<KeyEncryptionErrorCode, { summary: string; fix: string }>;

/** A stored private key that cannot be used with the configured KEK. Messages name the setting, never key material. */
export class KeyEncryptionError extends Error {
  override readonly name = "KeyEncryptionError";
  readonly code: KeyEncryptionErrorCode;
  readonly kid: string | undefined;

  constructor(code: KeyEncryptionErrorCode, message: string, options: { kid?: string } = {}) {
    super(message);
    this.code = code;
    this.kid = options.kid;
  }
}

export interface SealOptions {
  /** The key id: bound to the ciphertext as authenticated data. */
  kid: string;
  /** The key-encryption key (32 bytes); undefined only in development. */
  kek: Buffer | undefined;
}

/**
 * Seals a PKCS#8 DER private key for storage.
 * @example sealPrivateKey(key.export({ format: "der", type: "pkcs8" }), { kid, kek: config.keyEncryptionKey })
 */
export function sealPrivateKey(pkcs8: Buffer, options: SealOptions): string {
  return sealSecret(pkcs8, { name: options.kid, kek: options.kek });
}

/**
 * Opens a stored private key (PKCS#8 DER). Throws a KeyEncryptionError naming SIGIL_KEY_ENCRYPTION_KEY
 * when the row and the configuration disagree: the server must not start half-able to sign.
 */
export function openPrivateKey(stored: string, options: SealOptions): Buffer {
  return openSecret(stored, { name: options.kid, kek: options.kek, what: `Signing key ${options.kid}` });
}

/**
 * Seals any secret for storage, its `name` bound as authenticated data; `plain.…` without a KEK.
 * @example sealSecret(randomBytes(32), { name: "server-secret:device_binding", kek })
 */
export function sealSecret(secret: Buffer, options: { name: string; kek: Buffer | undefined }): string {
  if (options.kek === undefined) return `${PLAIN}.${secret.toString("base64url")}`;
  checkKek(options.kek);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", options.kek, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(options.name, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${VERSION}.${iv.toString("base64url")}.${ciphertext.toString("base64url")}.${tag.toString("base64url")}`;
}

/**
 * Opens a secret sealed under `name`. A `plain.…` value is refused when a KEK is configured
 * (STORED_KEY_PLAIN); `what` names the secret in messages ("Signing key k1").
 */
export function openSecret(stored: string, options: { name: string; kek: Buffer | undefined; what: string }): Buffer {
  const parts = stored.split(".");
  const { what, kek } = options;
  const kid = options.name;
  if (parts[0] === PLAIN && parts.length === 2) {
    // A KEK is configured, so every key must be sealed: a plain row here was written by a
    // development instance, or planted. Refuse rather than silently sign with it.
    if (kek !== undefined) {
      throw new KeyEncryptionError(
        "STORED_KEY_PLAIN",
        `${what} is stored unencrypted but ${ENV_NAME} is set: it was created in development without a key-encryption key. Delete the development keys (DELETE FROM signing_keys; an encrypted key is created at the next start) or unset ${ENV_NAME}.`,
        { kid },
      );
    }
    return Buffer.from(parts[1] ?? "", "base64url");
  }
  if (parts[0] !== VERSION || parts.length !== 4) {
    throw new KeyEncryptionError("STORED_KEY_MALFORMED", `${what} is stored in an unknown format.`, { kid });
  }
  if (kek === undefined) {
    throw new KeyEncryptionError(
      "KEK_REQUIRED",
      `${what} is encrypted but ${ENV_NAME} is not set: set it to the key-encryption key the keys were created with.`,
      { kid },
    );
  }
  checkKek(kek);
  const iv = Buffer.from(parts[1] ?? "", "base64url");
  const ciphertext = Buffer.from(parts[2] ?? "", "base64url");
  const tag = Buffer.from(parts[3] ?? "", "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new KeyEncryptionError("STORED_KEY_MALFORMED", `${what} is stored in an unknown format.`, { kid });
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", kek, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(kid, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong KEK from a tampered row or a swapped kid; all mean "do not use it".
    throw new KeyEncryptionError(
      "KEK_MISMATCH",
      `${what} cannot be decrypted: ${ENV_NAME} is not the key it was encrypted with (or the stored value was altered).`,
      { kid },
    );
  }
}

/** True when a stored value is sealed under a KEK (not a development `plain.` row). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(`${VERSION}.`);
}

function checkKek(kek: Buffer): void {
  if (kek.length !== KEK_BYTES) {
    throw new KeyEncryptionError(
      "KEK_INVALID",
      `${ENV_NAME} must be 32 bytes (base64url); generate one with \`sigil secret\`.`,
    );
  }
}
