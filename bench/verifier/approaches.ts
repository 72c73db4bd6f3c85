// The approaches measured on GET /profile, and what each server child needs to build one.
// Shared by the parent (which signs the tokens and drives the load) and the server children.

export const APPROACH_IDS = [
  "fastify-none",
  "fastify-raw-ed25519",
  "sigil-eddsa",
  "sigil-eddsa-no-revocation",
  "sigil-eddsa-direct-hook",
  "sigil-hs256",
  "fastify-jwt-hs256",
  "fastify-jwt-eddsa",
  "fastify-redis-session",
  "fastify-postgres-session",
  "express-none",
  "express-sigil-hs256",
  "express-jwt-hs256",
] as const;

export type ApproachId = (typeof APPROACH_IDS)[number];

/** What the Authorization header carries: a JWT of one algorithm, or an opaque session id. */
export type Credential = "eddsa" | "hs256" | "session";

export interface Approach {
  readonly id: ApproachId;
  readonly label: string;
  readonly framework: "fastify" | "express";
  readonly credential: Credential;
  /** "sigil" rows are ours, "peer" rows are what Sigil must beat, "reference" rows are ceilings and baselines. */
  readonly role: "sigil" | "peer" | "reference";
  /** Needs the auth server's revocation feed. */
  readonly revocation: boolean;
}

export const APPROACHES: readonly Approach[] = [
  a("fastify-none", "fastify, no auth (ceiling)", "fastify", "eddsa", "reference"),
  a("fastify-raw-ed25519", "fastify + raw crypto.verify Ed25519", "fastify", "eddsa", "reference"),
  a("sigil-eddsa", "fastify + Sigil EdDSA, revocation on", "fastify", "eddsa", "sigil", { revocation: true }),
  a("sigil-eddsa-no-revocation", "fastify + Sigil EdDSA, revocation off", "fastify", "eddsa", "sigil"),
  a(
    "sigil-eddsa-direct-hook",
    "fastify + Sigil EdDSA verify() in a sync hook, no adapter",
    "fastify",
    "eddsa",
    "reference",
    { revocation: true },
  ),
  a("sigil-hs256", "fastify + Sigil HS256, revocation on", "fastify", "hs256", "sigil", { revocation: true }),
  a("fastify-jwt-hs256", "fastify + @fastify/jwt HS256", "fastify", "hs256", "peer"),
  a("fastify-jwt-eddsa", "fastify + @fastify/jwt EdDSA", "fastify", "eddsa", "peer"),
  a("fastify-redis-session", "fastify + Redis session lookup", "fastify", "session", "peer"),
  a("fastify-postgres-session", "fastify + PostgreSQL session lookup", "fastify", "session", "peer"),
  a("express-none", "express 5, no auth (ceiling)", "express", "hs256", "reference"),
  a("express-sigil-hs256", "express 5 + Sigil HS256, revocation on", "express", "hs256", "sigil", { revocation: true }),
  a("express-jwt-hs256", "express 5 + express-jwt HS256", "express", "hs256", "peer"),
];

function a(
  id: ApproachId,
  label: string,
  framework: Approach["framework"],
  credential: Credential,
  role: Approach["role"],
  options: { revocation?: boolean } = {},
): Approach {
  return { id, label, framework, credential, role, revocation: options.revocation === true };
}

export function approachById(id: string): Approach {
  const found = APPROACHES.find((approach) => approach.id === id);
  if (!found) throw new Error(`unknown approach "${id}" (one of ${APPROACH_IDS.join(", ")})`);
  return found;
}

/** Everything a server child needs, passed as JSON in its environment (BENCH_SERVER). */
export interface ServerContext {
  readonly approach: ApproachId;
  readonly issuer: string;
  readonly audience: string;
  readonly ed25519: { readonly kid: string; readonly publicPem: string };
  readonly hmac: { readonly kid: string; readonly secretBase64url: string };
  /** The auth server's feed and a client registered to read it (Sigil rows with revocation). */
  readonly feed?: { readonly url: string; readonly clientId: string; readonly clientSecret: string };
  readonly redisPort?: number;
  readonly postgresUrl?: string;
}

export const PROFILE_PATH = "/profile";
export const SESSION_KEY_PREFIX = "sess:";
