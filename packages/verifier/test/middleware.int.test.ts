import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { serve } from "@hono/node-server";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import {
  type AccessTokenVerifier,
  type AuthenticateOptions,
  authenticate,
  createAccessTokenVerifier,
  requireRole,
  requireScope,
  type SigilHonoEnv,
  sigilExpress,
  sigilExpressGuard,
  sigilFastify,
  sigilFastifyGuard,
  sigilFastifyPlugin,
  sigilHono,
  sigilHonoGuard,
} from "../src/index.js";
import { type FetchProbe, probeFetch } from "./fixtures/changes.js";
import { CLIENT_ID, CLIENT_SECRET, type FakeAuthServer, startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { FakeTime } from "./fixtures/fake-time.js";
import { get } from "./fixtures/http-client.js";
import { AUDIENCE, accessToken, createTestKey, type TestKey } from "./fixtures/tokens.js";

interface App {
  url: string;
  close(): Promise<void>;
}

type AppFactory = (verifier: AccessTokenVerifier, options: AuthenticateOptions) => Promise<App>;

async function listen(server: Server): Promise<App> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const adapters: Record<string, AppFactory> = {
  "node:http": (verifier, options) => {
    const me = authenticate(verifier, options);
    const admin = authenticate(verifier, { ...options, require: requireScope("admin") });
    const ops = authenticate(verifier, { ...options, require: requireRole("ops") });
    return listen(
      createServer(async (req, res) => {
        const auth = req.url === "/ops" ? ops : req.url === "/me" ? me : admin;
        const claims = await auth(req, res);
        if (!claims) return;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sub: claims.sub }));
      }),
    );
  },
  express: (verifier, options) => {
    const app = express();
    app.get("/me", sigilExpress(verifier, options), (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    app.get("/admin", sigilExpress(verifier, { ...options, require: requireScope("admin") }), (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    app.get("/ops", sigilExpress(verifier, { ...options, require: requireRole("ops") }), (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    app.use("/guarded", sigilExpress(verifier, options));
    app.get("/guarded", sigilExpressGuard(requireScope("admin"), options), (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    app.get("/unwired", sigilExpressGuard(requireScope("admin"), options), (_req, res) => {
      res.json({ reached: true });
    });
    return listen(createServer(app));
  },
  fastify: async (verifier, options) => {
    const app = Fastify();
    await app.register(async (scope) => {
      await scope.register(sigilFastifyPlugin, { verifier, ...options });
      scope.get("/me", async (request) => ({ sub: request.auth?.sub }));
    });
    app.get(
      "/admin",
      { onRequest: sigilFastify(verifier, { ...options, require: requireScope("admin") }) },
      async (request) => ({
        sub: request.auth?.sub,
      }),
    );
    app.get(
      "/ops",
      { preHandler: sigilFastify(verifier, { ...options, require: requireRole("ops") }) },
      async (request) => ({
        sub: request.auth?.sub,
      }),
    );
    app.get(
      "/guarded",
      { onRequest: sigilFastify(verifier, options), preHandler: sigilFastifyGuard(requireScope("admin"), options) },
      async (request) => ({ sub: request.auth?.sub }),
    );
    app.get("/unwired", { preHandler: sigilFastifyGuard(requireScope("admin"), options) }, async () => ({
      reached: true,
    }));
    await app.listen({ port: 0, host: "127.0.0.1" });
    return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
  },
  hono: async (verifier, options) => {
    const app = new Hono<SigilHonoEnv>();
    app.get("/me", sigilHono(verifier, options), (c) => c.json({ sub: c.get("auth").sub }));
    app.get("/admin", sigilHono(verifier, { ...options, require: requireScope("admin") }), (c) =>
      c.json({ sub: c.get("auth").sub }),
    );
    app.get("/ops", sigilHono(verifier, { ...options, require: requireRole("ops") }), (c) =>
      c.json({ sub: c.get("auth").sub }),
    );
    app.use("/guarded", sigilHono(verifier, options));
    app.get("/guarded", sigilHonoGuard(requireScope("admin"), options), (c) => c.json({ sub: c.get("auth").sub }));
    app.get("/unwired", sigilHonoGuard(requireScope("admin"), options), (c) => c.json({ reached: true }));
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
    });
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  },
};

describe("middleware adapters over real HTTP", () => {
  let auth: FakeAuthServer;
  let key: TestKey;
  let verifier: AccessTokenVerifier;
  let probe: FetchProbe;

  before(async () => {
    auth = await startFakeAuthServer();
    key = await createTestKey();
    probe = probeFetch();
    // The verifier's time stands still: its mirror stays fresh without heartbeats however long the suite takes.
    const time = new FakeTime(Date.now());
    verifier = createAccessTokenVerifier({
      issuer: auth.issuer,
      audience: AUDIENCE,
      algorithms: ["EdDSA"],
      keys: [key.pair.verification],
      revocation: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, feedUrl: auth.feedUrl },
      fetch: probe.fetch,
      now: time.clock,
      timers: time.timers,
    });
    await verifier.ready();
  });
  after(async () => {
    verifier.close();
    await auth.close();
  });

  for (const [name, factory] of Object.entries(adapters)) {
    describe(name, () => {
      const logs: string[] = [];
      let app: App;
      before(async () => {
        app = await factory(verifier, { logger: { warn: (line) => logs.push(line) } });
      });
      after(() => app.close());

      test("a malformed token: 401 invalid_token, nothing internal in the body, the code in the log", async () => {
        const forged = `${accessToken(key, auth.issuer).slice(0, -4)}AAAA`;
        for (const token of [
          "x.y.z",
          forged,
          accessToken(key, auth.issuer, { iat: Math.floor(Date.now() / 1000) - 1000 }),
        ]) {
          logs.length = 0;
          const res = await get(`${app.url}/me`, { authorization: `Bearer ${token}` });
          assert.equal(res.status, 401);
          assert.equal(res.headers["www-authenticate"], 'Bearer error="invalid_token"');
          assert.deepEqual(JSON.parse(res.body), { error: "invalid_token" });
          assert.equal(logs.length, 1);
          assert.match(logs[0] ?? "", /^401 (MALFORMED|SIGNATURE_INVALID|TOKEN_EXPIRED): /);
          assert.ok(!(logs[0] ?? "").includes(token), "no token in the log");
        }
      });

      test("no token: 401 with a bare Bearer challenge (RFC 6750 §3.1)", async () => {
        for (const headers of [{}, { authorization: "Basic dXNlcjpwYXNz" }]) {
          const res = await get(`${app.url}/me`, headers);
          assert.equal(res.status, 401);
          assert.equal(res.headers["www-authenticate"], "Bearer");
          assert.ok(!res.body.includes("invalid_token"));
        }
      });

      test("malformed credentials and duplicated Authorization headers: 400 invalid_request", async () => {
        const token = accessToken(key, auth.issuer);
        for (const authorization of [
          `Bearer ${token} extra`,
          [`Bearer ${token}`, `Bearer ${token}`],
          [`Bearer ${token}`, "Basic dXNlcjpwYXNz"],
        ]) {
          const res = await get(`${app.url}/me`, { authorization });
          assert.equal(res.status, 400, String(authorization).slice(0, 20));
          assert.equal(res.headers["www-authenticate"], 'Bearer error="invalid_request"');
        }
      });

      test("a valid token: 200 with the claims; the scheme is case-insensitive", async () => {
        const res = await get(`${app.url}/me`, {
          authorization: `bearer ${accessToken(key, auth.issuer, { sub: "alice" })}`,
        });
        assert.equal(res.status, 200);
        assert.deepEqual(JSON.parse(res.body), { sub: "alice" });
      });

      test("a revoked token: 401 invalid_token, TOKEN_REVOKED in the log", async () => {
        const token = accessToken(key, auth.issuer, { sid: `revoked-${name}` });
        const revokedBefore = verifier.stats().revokedSessions;
        assert.equal((await get(`${app.url}/me`, { authorization: `Bearer ${token}` })).status, 200);
        auth.revoke({ kind: "session", sid: `revoked-${name}`, exp: Math.floor(Date.now() / 1000) + 900 });
        await probe.until(() => verifier.stats().revokedSessions === revokedBefore + 1, "the revocation applied");
        logs.length = 0;
        const res = await get(`${app.url}/me`, { authorization: `Bearer ${token}` });
        assert.equal(res.status, 401);
        assert.equal(res.headers["www-authenticate"], 'Bearer error="invalid_token"');
        assert.deepEqual(JSON.parse(res.body), { error: "invalid_token" });
        assert.match(logs[0] ?? "", /^401 TOKEN_REVOKED: /);
      });

      test("per-route guard after the app-wide middleware: 403 without the scope, 200 with it, 401 if unwired", async () => {
        const token = accessToken(key, auth.issuer, { scope: "read" });
        const denied = await get(`${app.url}/guarded`, { authorization: `Bearer ${token}` });
        assert.equal(denied.status, 403);
        assert.equal(denied.headers["www-authenticate"], 'Bearer error="insufficient_scope", scope="admin"');
        const granted = accessToken(key, auth.issuer, { scope: "admin", sub: "root" });
        const ok = await get(`${app.url}/guarded`, { authorization: `Bearer ${granted}` });
        assert.equal(ok.status, 200);
        assert.deepEqual(JSON.parse(ok.body), { sub: "root" });
        assert.equal((await get(`${app.url}/guarded`)).status, 401);
        const unwired = await get(`${app.url}/unwired`, { authorization: `Bearer ${granted}` });
        assert.equal(unwired.status, name === "node:http" ? 200 : 401, "a guard without the middleware never passes");
        assert.ok(!unwired.body.includes("reached"));
      });

      test("insufficient scope or role: 403 insufficient_scope naming the scope", async () => {
        const token = accessToken(key, auth.issuer, { scope: "read", roles: ["user"] });
        const res = await get(`${app.url}/admin`, { authorization: `Bearer ${token}` });
        assert.equal(res.status, 403);
        assert.equal(res.headers["www-authenticate"], 'Bearer error="insufficient_scope", scope="admin"');
        assert.deepEqual(JSON.parse(res.body), { error: "insufficient_scope" });
        const role = await get(`${app.url}/ops`, { authorization: `Bearer ${token}` });
        assert.equal(role.status, 403);
        const granted = accessToken(key, auth.issuer, { scope: "read admin", roles: ["ops"] });
        assert.equal((await get(`${app.url}/admin`, { authorization: `Bearer ${granted}` })).status, 200);
        assert.equal((await get(`${app.url}/ops`, { authorization: `Bearer ${granted}` })).status, 200);
      });
    });
  }

  test("cookie option: the token may come from a named cookie", async () => {
    const app = await adapters["node:http"]!(verifier, { cookie: "sigil_at", logger: { warn() {} } });
    try {
      const res = await get(`${app.url}/me`, {
        cookie: `a=b; sigil_at=${accessToken(key, auth.issuer, { sub: "carol" })}`,
      });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { sub: "carol" });
    } finally {
      await app.close();
    }
  });

  test("realm option appears in every challenge", async () => {
    const app = await adapters.express!(verifier, { realm: "api", logger: { warn() {} } });
    try {
      assert.equal((await get(`${app.url}/me`)).headers["www-authenticate"], 'Bearer realm="api"');
      const bad = await get(`${app.url}/me`, { authorization: "Bearer x.y.z" });
      assert.equal(bad.headers["www-authenticate"], 'Bearer realm="api", error="invalid_token"');
    } finally {
      await app.close();
    }
  });
});
