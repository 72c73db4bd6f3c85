import type { ServerConfig } from "../config/config.js";

/** The settings the key manager reads. */
export type KeyConfig = Pick<
  ServerConfig,
  | "signingAlg"
  | "hmacSecret"
  | "keyEncryptionKey"
  | "keyRotationInterval"
  | "jwksMaxAge"
  | "accessTokenTtl"
  | "clockTolerance"
>;

/** Slack for clock skew between instances and for JWKS fetch latency. */
const MARGIN_SECONDS = 60;

/**
 * How often each instance re-reads signing_keys, so keys created or retired by another
 * instance (or by `sigil keys rotate`) reach its own verifier and its JWKS document.
 */
export function reloadIntervalMs(config: Pick<KeyConfig, "jwksMaxAge">): number {
  return Math.min(60, Math.max(5, Math.floor(config.jwksMaxAge / 2))) * 1000;
}

/**
 * How long a new key is published before it signs. A verifier holds a JWKS for at most
 * jwksMaxAge; the instance it fetched from may be one reload interval behind the database.
 * After this lead every verifier that honours Cache-Control has the key before the first token
 * it signs (the "a new key appears in the JWKS before it signs").
 */
export function publishLeadMs(config: Pick<KeyConfig, "jwksMaxAge">): number {
  return config.jwksMaxAge * 1000 + reloadIntervalMs(config) + MARGIN_SECONDS * 1000;
}

/**
 * How long a retired key stays published: the last token it signed (at retiresAt) is valid
 * until retiresAt + access-token TTL, and verifiers accept it clockTolerance longer.
 */
export function retainMs(config: Pick<KeyConfig, "accessTokenTtl" | "clockTolerance">): number {
  return (config.accessTokenTtl + config.clockTolerance) * 1000;
}
