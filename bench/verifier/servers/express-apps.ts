// The Express 5 servers under test: the framework's ceiling, express-jwt, and Sigil's adapter.

import { createSecretKey } from "node:crypto";
import type { Server } from "node:http";
import { type AccessTokenVerifier, sigilExpress, silentLogger } from "@sigil/verifier";
import express, { type Express } from "express";
import { expressjwt, type Request as JWTRequest } from "express-jwt";
import { PROFILE_PATH, type ServerContext } from "../approaches.js";

/** No authentication: the ceiling of Express on this machine. */
export function expressNone(): Express {
  const app = express();
  app.get(PROFILE_PATH, (_req, res) => {
    res.json({ sub: "anonymous" });
  });
  return app;
}

/**
 * express-jwt 8 (jsonwebtoken underneath) with a KeyObject secret: with a string secret
 * jsonwebtoken 9 first tries to parse it as a public key on every call (~280 µs, see
 * docs/perf-baseline), which would make this peer look far worse than it need be.
 */
export function expressJwtApp(context: ServerContext): Express {
  const app = express();
  const secret = createSecretKey(Buffer.from(context.hmac.secretBase64url, "base64url"));
  app.get(
    PROFILE_PATH,
    expressjwt({ secret, algorithms: ["HS256"], issuer: context.issuer, audience: context.audience }),
    (req: JWTRequest, res) => {
      res.json({ sub: req.auth?.sub });
    },
  );
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(401).set("www-authenticate", 'Bearer error="invalid_token"').json({ error: "invalid_token" });
  });
  return app;
}

/** Sigil's Express adapter over a verifier built by the caller. */
export function expressSigil(verifier: AccessTokenVerifier): Express {
  const app = express();
  app.get(PROFILE_PATH, sigilExpress(verifier, { logger: silentLogger }), (req, res) => {
    res.json({ sub: req.auth?.sub });
  });
  return app;
}

/** Listens on a free loopback port; resolves with the port. */
export function listenExpress(app: Express): Promise<{ port: number; server: Server }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, "127.0.0.1", (error?: Error) => {
      if (error) return reject(error);
      const address = server.address();
      if (typeof address !== "object" || address === null) return reject(new Error("no address"));
      resolve({ port: address.port, server });
    });
  });
}
