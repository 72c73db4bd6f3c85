import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, test } from "node:test";
import Fastify from "fastify";
import pino from "pino";
import { createLoggerOptions, redactUrl, SECRET_FIELDS } from "../src/observability/index.js";
import { createLogger, formatLogLine, LISTENING_MESSAGE } from "../src/observability/logger.js";

/** A stream that keeps every line written to it. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

const config = { logLevel: "trace" } as const;

describe("log redaction", () => {
  test("no secret field reaches the log, at any of the usual depths", () => {
    const out = capture();
    const logger = pino(createLoggerOptions(config), out.stream);
    const secrets: string[] = [];
    const fields: Record<string, string> = {};
    for (const field of SECRET_FIELDS) {
      const value = `S3CRET-${field}-${secrets.length}`;
      secrets.push(value);
      fields[field] = value;
    }
    logger.info(fields, "top level");
    logger.info({ body: fields }, "one level down");
    logger.info({ req: { body: fields } }, "two levels down");
    logger.info(
      {
        req: {
          headers: {
            authorization: "Bearer S3CRET-bearer",
            cookie: "sid=S3CRET-cookie",
            "proxy-authorization": "Basic S3CRET-proxy",
          },
        },
        res: { headers: { "set-cookie": "sid=S3CRET-set-cookie" } },
        headers: { authorization: "Basic S3CRET-basic" },
      },
      "headers",
    );
    const text = out.text();
    for (const value of [
      ...secrets,
      "S3CRET-bearer",
      "S3CRET-cookie",
      "S3CRET-proxy",
      "S3CRET-set-cookie",
      "S3CRET-basic",
    ]) {
      assert.ok(!text.includes(value), `${value} leaked into the log`);
    }
    assert.ok(!text.includes("S3CRET"));
    assert.ok(text.includes("[Redacted]"));
    assert.equal(text.trim().split("\n").length, 4, "the log lines themselves are still written");
  });

  test("redactUrl hides credentials in query strings and keeps the rest", () => {
    assert.equal(redactUrl("/userinfo?access_token=abc&x=1"), "/userinfo?access_token=[Redacted]&x=1");
    assert.equal(redactUrl("/cb?code=xyz&state=ok"), "/cb?code=[Redacted]&state=ok");
    assert.equal(redactUrl("/x?Refresh_Token=abc"), "/x?Refresh_Token=[Redacted]");
    assert.equal(redactUrl("/x?t=eyJhbGciOiJFZERTQSJ9.e30.sig"), "/x?t=[Redacted]");
    assert.equal(redactUrl(`/x?blob=${"a".repeat(40)}`), "/x?blob=[Redacted]");
    assert.equal(redactUrl("/x?bad=%E0%A4%A"), "/x?bad=[Redacted]");
    assert.equal(redactUrl("/plain/path"), "/plain/path");
    assert.equal(redactUrl("/x?page=2&flag"), "/x?page=2&flag");
  });

  test("through Fastify: headers, bodies and query tokens never appear", async () => {
    const out = capture();
    const app = Fastify({ logger: createLoggerOptions(config, { stream: out.stream }) });
    app.post("/auth/login", async (request) => {
      // A careless handler that logs everything it got.
      request.log.info({ body: request.body, headers: request.headers }, "login attempt");
      return { ok: true };
    });
    try {
      const response = await app.inject({
        method: "POST",
        url: "/auth/login?access_token=S3CRET-query&page=1",
        headers: { authorization: "Bearer S3CRET-header", cookie: "sid=S3CRET-cookie" },
        payload: { email: "a@example.com", password: "S3CRET-password", refresh_token: "S3CRET-refresh" },
      });
      assert.equal(response.statusCode, 200);
    } finally {
      await app.close();
    }
    const text = out.text();
    assert.ok(text.includes("login attempt") && text.includes("a@example.com"));
    assert.ok(text.includes("access_token=[Redacted]&page=1"), "the request URL is logged, redacted");
    assert.ok(!text.includes("S3CRET"), text);
  });

  test("the level comes from the configuration", () => {
    assert.equal(createLoggerOptions({ logLevel: "warn" }).level, "warn");
  });
});

describe("log formats", () => {
  test("pretty: one readable line per request, per event; the listening line is left to the summary", () => {
    const out = capture();
    const logger = createLogger({ logLevel: "info", logFormat: "pretty" }, out.stream);
    logger.info(
      { req: { method: "POST", url: "/auth/login?access_token=S3CRET" }, res: { statusCode: 401 }, responseTime: 12.4 },
      "request completed",
    );
    logger.warn({ code: "invalid_token", reason: "ERR_JWT_EXPIRED" }, "request refused");
    logger.info({}, LISTENING_MESSAGE);
    const lines = out.text().trim().split("\n");
    assert.equal(lines.length, 2, out.text());
    assert.match(lines[0] ?? "", /^\d\d:\d\d:\d\d INFO {2}POST \/auth\/login\?access_token=\[Redacted\] 401 12 ms$/);
    assert.match(lines[1] ?? "", /^\d\d:\d\d:\d\d WARN {2}request refused code=invalid_token reason=ERR_JWT_EXPIRED$/);
  });

  test("json: one object per line, redacted", () => {
    const out = capture();
    const logger = createLogger({ logLevel: "info", logFormat: "json" }, out.stream);
    logger.info({ password: "S3CRET" }, "event");
    const record = JSON.parse(out.text());
    assert.equal(record.msg, "event");
    assert.equal(record.password, "[Redacted]");
  });

  test("formatLogLine passes a line that is not JSON through", () => {
    assert.equal(formatLogLine("plain text"), "plain text");
  });
});
