import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { createLoggerOptions } from "../../src/observability/index.js";
import { describeEachDatabase } from "../../src/testing/index.js";
import { testConfig } from "../support/test-deps.js";
import { call, GOOD_PASSWORD, startTestServer, type TestServer, uniqueEmail } from "../support/test-server.js";

const clock = { offsetMs: 0 };

describeEachDatabase("logs: refusals carry their code; no secret ever appears", (getDb) => {
  let server: TestServer;
  const lines: string[] = [];
  before(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    server = await startTestServer(getDb(), {
      logger: createLoggerOptions({ ...testConfig(), logLevel: "info" }, { stream }),
      now: () => Date.now() + clock.offsetMs,
    });
  });
  after(() => server.close());

  test("a full session's worth of traffic logs codes, never a password, token or refresh token", async () => {
    const email = uniqueEmail("logs");
    const secrets: string[] = [GOOD_PASSWORD, "wrong password for logs"];
    await call(server, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD } });
    await call(server, "POST", "/auth/login", { json: { email, password: "wrong password for logs" } });
    const login = await call(server, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
    secrets.push(login.body.access_token, login.body.refresh_token, login.body.refresh_token.split(".")[1]);
    const refreshed = await call(server, "POST", "/auth/refresh", {
      json: { refresh_token: login.body.refresh_token },
    });
    secrets.push(refreshed.body.access_token, refreshed.body.refresh_token);
    await call(server, "GET", "/userinfo", { token: `${login.body.access_token.slice(0, -3)}xyz` });
    clock.offsetMs += (server.config.refreshGraceSeconds + 1) * 1000;
    const reuse = await call(server, "POST", "/auth/refresh", { json: { refresh_token: login.body.refresh_token } });
    assert.match(reuse.body.error_description, /^refresh_token_reused/);
    await call(server, "GET", "/userinfo", { token: refreshed.body.access_token });
    await call(server, "POST", "/auth/register", {
      body: `{"email":"${email}","password":"${GOOD_PASSWORD}"`,
      headers: { "content-type": "application/json" },
    });

    const log = lines.join("\n");
    for (const secret of secrets) assert.ok(!log.includes(secret), "a secret reached the log");
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // The tampered token's JWT error code (MALFORMED, SIGNATURE_INVALID… depending on the bytes changed).
    const tampered = parsed.filter((entry) => entry.code === "invalid_token" && entry.reason !== "TOKEN_REVOKED");
    assert.equal(tampered.length, 1);
    assert.match(String(tampered[0]?.reason), /^[A-Z_]+$/);
    assert.ok(parsed.some((entry) => entry.code === "invalid_token" && entry.reason === "TOKEN_REVOKED"));
    assert.ok(parsed.some((entry) => entry.event === "refresh_token_reused" && typeof entry.sessionId === "string"));
  });
});
