import { createHash } from "node:crypto";
import type { JWKS } from "@sigil/jwt";
import type { FastifyInstance } from "fastify";
import type { ServerContext } from "../../server-context.js";
import { PATHS } from "../paths.js";

/*
 * The response schema is an allow-list of public JWK members (RFC 7517 §4, RFC 7518 §6.2.1,
 * §6.3.1, RFC 8037 §2). Fastify's serializer drops anything else, so even a bug upstream that put
 * `d`, `p`, `q` or an HMAC `k` into a key object could not publish it.
 */
const jwksSchema = {
  type: "object",
  required: ["keys"],
  properties: {
    keys: {
      type: "array",
      items: {
        type: "object",
        required: ["kty", "kid", "alg", "use"],
        additionalProperties: false,
        properties: {
          kty: { type: "string" },
          kid: { type: "string" },
          alg: { type: "string" },
          use: { type: "string" },
          crv: { type: "string" },
          x: { type: "string" },
          y: { type: "string" },
          n: { type: "string" },
          e: { type: "string" },
        },
      },
    },
  },
} as const;

/**
 * GET /.well-known/jwks.json: the keys that verify this server's tokens, with a strong ETag and
 * `Cache-Control: public, max-age=<jwksMaxAge>` — the max-age the rotation timeline is built on
 * (a new key is published for longer than that before it signs; see keys/key-timeline.ts).
 *
 * @example
 * registerJWKSRoute(app, context);
 */
export function registerJWKSRoute(app: FastifyInstance, deps: Pick<ServerContext, "config" | "keys">): void {
  // The JWKS object is rebuilt only when the ring changes, so its ETag is computed once per version.
  let cached: { jwks: JWKS; etag: string } | undefined;
  const current = (): { jwks: JWKS; etag: string } => {
    const jwks = deps.keys.jwks();
    if (cached?.jwks !== jwks) {
      const digest = createHash("sha256").update(JSON.stringify(jwks)).digest("base64url");
      cached = { jwks, etag: `"${digest.slice(0, 27)}"` };
    }
    return cached;
  };
  app.get(PATHS.jwks, { schema: { response: { 200: jwksSchema, 304: { type: "null" } } } }, async (request, reply) => {
    const { jwks, etag } = current();
    reply.header("cache-control", `public, max-age=${deps.config.jwksMaxAge}`);
    reply.header("etag", etag);
    if (matchesETag(request.headers["if-none-match"], etag)) {
      return reply.code(304).send();
    }
    return reply.type("application/json; charset=utf-8").send(jwks);
  });
}

// RFC 9110 §13.1.2: If-None-Match is a list of entity tags (weak comparison) or "*".
function matchesETag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed === etag || trimmed === `W/${etag}`;
  });
}
