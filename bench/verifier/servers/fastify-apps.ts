// The Fastify servers under test. Every one answers GET /profile with {"sub": ...}; the only
// difference between them is how the request is authenticated.

import { createPublicKey, verify as cryptoVerify, type KeyObject } from "node:crypto";
import fastifyJwt from "@fastify/jwt";
import { type AccessTokenVerifier, sigilFastify, silentLogger } from "@sigil/verifier";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import pg from "pg";
import { PROFILE_PATH, SESSION_KEY_PREFIX, type ServerContext } from "../approaches.js";
import { connectRESP } from "./resp-client.js";

const UNAUTHORIZED = '{"error":"invalid_token"}';

function deny(reply: FastifyReply): FastifyReply {
  return reply.code(401).header("www-authenticate", 'Bearer error="invalid_token"').send(UNAUTHORIZED);
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7) : undefined;
}

/** No authentication: the ceiling of the framework on this machine. */
export function fastifyNone(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get(PROFILE_PATH, async () => ({ sub: "anonymous" }));
  return app;
}

/**
 * The distinct-token baseline: one `crypto.verify` of the Ed25519 signature and a JSON.parse of
 * the payload, nothing else (no claim checks, no kid lookup). Sigil cannot do less work per new token.
 */
export function fastifyRawEd25519(context: ServerContext): FastifyInstance {
  const publicKey: KeyObject = createPublicKey(context.ed25519.publicPem);
  const app = Fastify({ logger: false });
  app.get(PROFILE_PATH, async (request, reply) => {
    const token = bearer(request);
    const dot2 = token === undefined ? -1 : token.lastIndexOf(".");
    if (token === undefined || dot2 < 0) return deny(reply);
    const signature = Buffer.from(token.slice(dot2 + 1), "base64url");
    if (!cryptoVerify(null, Buffer.from(token.slice(0, dot2)), publicKey, signature)) return deny(reply);
    const payload = JSON.parse(Buffer.from(token.slice(token.indexOf(".") + 1, dot2), "base64url").toString()) as {
      sub: string;
    };
    return { sub: payload.sub };
  });
  return app;
}

/** The product: Sigil's Fastify hook over a verifier (built by the caller, with or without revocation). */
export function fastifySigil(verifier: AccessTokenVerifier): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get(PROFILE_PATH, { onRequest: sigilFastify(verifier, { logger: silentLogger }) }, async (request) => ({
    sub: request.auth?.sub,
  }));
  return app;
}

/**
 * Diagnostic, not a product path: the same verifier called synchronously from a callback-style
 * hook on `request.headers.authorization`, without the adapter (bearer parsing per RFC 6750,
 * headersDistinct, promises). The gap between this row and fastifySigil is the adapter's cost.
 */
export function fastifySigilDirectHook(verifier: AccessTokenVerifier): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get(
    PROFILE_PATH,
    {
      onRequest(request, reply, done) {
        const token = bearer(request);
        try {
          if (token === undefined) throw new Error("no token");
          request.auth = verifier.verify(token).payload;
        } catch {
          deny(reply);
          return;
        }
        done();
      },
    },
    async (request) => ({ sub: request.auth?.sub }),
  );
  return app;
}

/** @fastify/jwt with its defaults (fast-jwt underneath, no verified-token cache), checking iss and aud as Sigil does. */
export async function fastifyJwtApp(context: ServerContext, alg: "HS256" | "EdDSA"): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const secret =
    alg === "HS256"
      ? Buffer.from(context.hmac.secretBase64url, "base64url")
      : { public: context.ed25519.publicPem, private: "" };
  await app.register(fastifyJwt, {
    secret,
    verify: { algorithms: [alg], allowedIss: context.issuer, allowedAud: context.audience },
  });
  app.get(
    PROFILE_PATH,
    {
      onRequest: async (request, reply) => {
        try {
          await request.jwtVerify();
        } catch {
          return deny(reply);
        }
      },
    },
    async (request) => ({ sub: (request.user as { sub?: string }).sub }),
  );
  return app;
}

/** A session id looked up in Redis on every request (GET over one pipelined connection). */
export async function fastifyRedisSession(context: ServerContext): Promise<FastifyInstance> {
  if (context.redisPort === undefined) throw new Error("no Redis port");
  const redis = await connectRESP(context.redisPort);
  const app = Fastify({ logger: false });
  app.addHook("onClose", async () => redis.close());
  app.get(PROFILE_PATH, async (request, reply) => {
    const id = bearer(request);
    const sub = id === undefined ? null : await redis.command("GET", SESSION_KEY_PREFIX + id);
    if (typeof sub !== "string") return deny(reply);
    return { sub };
  });
  return app;
}

/** A session id looked up by primary key in PostgreSQL on every request (pg pool, prepared statement). */
export async function fastifyPostgresSession(context: ServerContext): Promise<FastifyInstance> {
  if (context.postgresUrl === undefined) throw new Error("no PostgreSQL URL");
  const pool = new pg.Pool({ connectionString: context.postgresUrl, max: 16 });
  await pool.query("SELECT 1");
  const app = Fastify({ logger: false });
  app.addHook("onClose", async () => pool.end());
  app.get(PROFILE_PATH, async (request, reply) => {
    const id = bearer(request);
    if (id === undefined) return deny(reply);
    const result = await pool.query<{ subject: string }>({
      name: "session-by-id",
      text: "SELECT subject FROM sessions WHERE id = $1",
      values: [id],
    });
    const sub = result.rows[0]?.subject;
    if (sub === undefined) return deny(reply);
    return { sub };
  });
  return app;
}
