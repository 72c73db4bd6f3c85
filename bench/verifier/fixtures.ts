// Keys and credentials of the HTTP benchmark. The bench signs its own access tokens (10,000 of
// them through the auth server's login would cost 10,000 argon2id hashes, ~50 s): the verifiers
// hold these keys as fixed keys, which changes only where keys come from, not the per-request path.

import { randomBytes } from "node:crypto";
import { createSecretKey, exportPEM, generateKeyPair, type SigningKey, signJWT } from "@sigil/jwt";
import type { Credential, ServerContext } from "./approaches.js";

export interface CredentialSet {
  /** Reused on every request in "single" mode. */
  readonly single: string;
  /** Cycled in "pool" mode: each request takes the next one, across all connections. */
  readonly pool: readonly string[];
}

export interface Fixtures {
  readonly context: Omit<ServerContext, "approach">;
  readonly credentials: Readonly<Record<Credential, CredentialSet>>;
  /** The subject of session id `sessions.pool[i]` is `user-${i}`; of the single one, `user-single`. */
  readonly sessionSubjects: ReadonlyMap<string, string>;
}

const TOKEN_LIFETIME_SECONDS = 3600;

function accessToken(key: SigningKey, claims: { iss: string; aud: string; sub: string }): string {
  // The claims RFC 9068 §2.2 requires (and Sigil's verifier checks), plus a session id that the
  // revocation mirror looks up on every request.
  return signJWT({ ...claims, client_id: "bench", sid: randomBytes(16).toString("base64url"), scope: "profile" }, key, {
    expiresIn: TOKEN_LIFETIME_SECONDS,
    typ: "at+jwt",
  });
}

export async function createFixtures(options: { issuer: string; poolSize: number }): Promise<Fixtures> {
  const audience = "https://api.bench.test";
  const pair = await generateKeyPair("EdDSA");
  const secret = randomBytes(32);
  const hmac = createSecretKey(secret, { alg: "HS256" });
  const tokens = (key: SigningKey): CredentialSet => ({
    single: accessToken(key, { iss: options.issuer, aud: audience, sub: "user-single" }),
    pool: Array.from({ length: options.poolSize }, (_, i) =>
      accessToken(key, { iss: options.issuer, aud: audience, sub: `user-${i}` }),
    ),
  });
  const sessions: CredentialSet = {
    single: randomBytes(32).toString("base64url"),
    pool: Array.from({ length: options.poolSize }, () => randomBytes(32).toString("base64url")),
  };
  const sessionSubjects = new Map<string, string>([[sessions.single, "user-single"]]);
  for (const [i, id] of sessions.pool.entries()) sessionSubjects.set(id, `user-${i}`);
  return {
    context: {
      issuer: options.issuer,
      audience,
      ed25519: { kid: pair.kid, publicPem: exportPEM(pair.publicKey) },
      hmac: { kid: hmac.kid, secretBase64url: secret.toString("base64url") },
    },
    credentials: { eddsa: tokens(pair.signing), hs256: tokens(hmac), session: sessions },
    sessionSubjects,
  };
}
