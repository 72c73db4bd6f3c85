// A server child: builds one approach from BENCH_SERVER (JSON ServerContext), listens on a free
// loopback port and reports it to the parent over IPC; exits when told to, or when the parent goes.

import { createPublicKey, createSecretKey } from "node:crypto";
import type { VerificationKey } from "@sigil/jwt";
import { type AccessTokenVerifier, createAccessTokenVerifier, silentLogger } from "@sigil/verifier";
import { approachById, type ServerContext } from "../approaches.js";
import { expressJwtApp, expressNone, expressSigil, listenExpress } from "./express-apps.js";
import {
  fastifyJwtApp,
  fastifyNone,
  fastifyPostgresSession,
  fastifyRawEd25519,
  fastifyRedisSession,
  fastifySigil,
  fastifySigilDirectHook,
} from "./fastify-apps.js";

/**
 * The verifier a resource service would embed: fixed keys (the bench signs its own tokens, see
 * fixtures.ts) and, unless told otherwise, revocation through the real auth server's feed.
 */
async function benchVerifier(
  context: ServerContext,
  alg: "EdDSA" | "HS256",
  options: { revocation: boolean },
): Promise<AccessTokenVerifier> {
  const key: VerificationKey =
    alg === "EdDSA"
      ? { kid: context.ed25519.kid, alg, key: createPublicKey(context.ed25519.publicPem) }
      : { kid: context.hmac.kid, alg, key: createSecretKey(Buffer.from(context.hmac.secretBase64url, "base64url")) };
  if (options.revocation && context.feed === undefined) throw new Error("revocation needs the auth server's feed");
  const verifier = createAccessTokenVerifier({
    issuer: context.issuer,
    audience: context.audience,
    algorithms: [alg],
    keys: [key],
    revocation:
      options.revocation && context.feed
        ? { feedUrl: context.feed.url, clientId: context.feed.clientId, clientSecret: context.feed.clientSecret }
        : false,
    logger: silentLogger,
  });
  await verifier.ready();
  return verifier;
}

async function start(context: ServerContext): Promise<{ port: number; close: () => Promise<void> }> {
  const approach = approachById(context.approach);
  const revocation = { revocation: approach.revocation };
  if (approach.framework === "express") {
    const app =
      approach.id === "express-none"
        ? expressNone()
        : approach.id === "express-jwt-hs256"
          ? expressJwtApp(context)
          : expressSigil(await benchVerifier(context, "HS256", revocation));
    const { port, server } = await listenExpress(app);
    return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }
  const app = await (async () => {
    switch (approach.id) {
      case "fastify-none":
        return fastifyNone();
      case "fastify-raw-ed25519":
        return fastifyRawEd25519(context);
      case "sigil-eddsa":
      case "sigil-eddsa-no-revocation":
        return fastifySigil(await benchVerifier(context, "EdDSA", revocation));
      case "sigil-eddsa-direct-hook":
        return fastifySigilDirectHook(await benchVerifier(context, "EdDSA", revocation));
      case "sigil-hs256":
        return fastifySigil(await benchVerifier(context, "HS256", revocation));
      case "fastify-jwt-hs256":
        return fastifyJwtApp(context, "HS256");
      case "fastify-jwt-eddsa":
        return fastifyJwtApp(context, "EdDSA");
      case "fastify-redis-session":
        return fastifyRedisSession(context);
      case "fastify-postgres-session":
        return fastifyPostgresSession(context);
      default:
        throw new Error(`not a fastify approach: ${approach.id}`);
    }
  })();
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return { port: address.port, close: () => app.close() };
}

const raw = process.env.BENCH_SERVER;
if (raw === undefined || process.send === undefined) throw new Error("run by bench/verifier (BENCH_SERVER and IPC)");
try {
  const running = await start(JSON.parse(raw) as ServerContext);
  process.on("message", (message: { type?: string }) => {
    if (message.type === "stop") void running.close().finally(() => process.exit(0));
    if (message.type === "cpu") {
      // CPU time of this process (all threads), for the parent's µs-per-request figure.
      const usage = process.cpuUsage();
      process.send?.({ type: "cpu", micros: usage.user + usage.system });
    }
  });
  process.on("disconnect", () => process.exit(0));
  process.send({ type: "listening", port: running.port });
} catch (error) {
  process.send({ type: "failed", message: (error as Error).stack ?? String(error) });
  process.exit(1);
}
