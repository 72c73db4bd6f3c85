import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ConfigError, loadConfig } from "../src/config/index.js";
import { defaultHashConcurrency } from "../src/config/load-config.js";

const KEK = randomBytes(32).toString("base64url");
const PROD = {
  SIGIL_ENV: "production",
  SIGIL_ISSUER: "https://auth.example.com",
  SIGIL_KEY_ENCRYPTION_KEY: KEK,
  SIGIL_METRICS_ADDRESS: "127.0.0.1:9464",
  SIGIL_SMTP_URL: "smtps://sigil:mail-password@smtp.example.com",
  SIGIL_MAIL_FROM: "Example <no-reply@example.com>",
};

/** Asserts a ConfigError naming `setting`, on one line, matching `pattern`. */
function assertConfigError(fn: () => unknown, setting: string, pattern?: RegExp): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected ConfigError, got ${String(caught)}`);
  assert.equal(caught.code, "CONFIG_INVALID");
  assert.equal(caught.setting, setting);
  assert.ok(caught.message.startsWith(`${setting}: `), caught.message);
  assert.ok(!caught.message.includes("\n"), "one line");
  if (pattern) assert.match(caught.message, pattern);
  return caught;
}

describe("loadConfig: failures", () => {
  test("production without SIGIL_ISSUER", () => {
    assertConfigError(
      () => loadConfig({ SIGIL_ENV: "production", SIGIL_KEY_ENCRYPTION_KEY: KEK }),
      "SIGIL_ISSUER",
      /required/,
    );
  });

  test("NODE_ENV=production alone selects production mode", () => {
    assertConfigError(
      () => loadConfig({ NODE_ENV: "production", SIGIL_ISSUER: "https://a.example" }),
      "SIGIL_KEY_ENCRYPTION_KEY",
      /required in production/,
    );
  });

  test("production with an http issuer on a public host", () => {
    assertConfigError(() => loadConfig({ ...PROD, SIGIL_ISSUER: "http://auth.example.com" }), "SIGIL_ISSUER", /https/);
  });

  test("issuer with a query, fragment, credentials or a foreign scheme", () => {
    for (const issuer of [
      "https://a.example/?x=1",
      "https://a.example/#f",
      "https://u:p@a.example",
      "ftp://a.example",
      "not a url",
    ]) {
      assertConfigError(() => loadConfig({ ...PROD, SIGIL_ISSUER: issuer }), "SIGIL_ISSUER");
    }
  });

  test("a short key-encryption key names its length, never its value", () => {
    const short = randomBytes(12).toString("base64url");
    const error = assertConfigError(
      () => loadConfig({ ...PROD, SIGIL_KEY_ENCRYPTION_KEY: short }),
      "SIGIL_KEY_ENCRYPTION_KEY",
      /32 random bytes, base64url \(got 12 bytes\); generate one with `sigil secret`/,
    );
    assert.ok(!error.message.includes(short));
  });

  test("a patterned or non-base64url key-encryption key", () => {
    assertConfigError(
      () => loadConfig({ ...PROD, SIGIL_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64url") }),
      "SIGIL_KEY_ENCRYPTION_KEY",
      /distinct/,
    );
    assertConfigError(
      () => loadConfig({ ...PROD, SIGIL_KEY_ENCRYPTION_KEY: "not base64 at all!" }),
      "SIGIL_KEY_ENCRYPTION_KEY",
    );
  });

  test("access TTL beyond 1 h is refused with the reason", () => {
    assertConfigError(
      () => loadConfig({ SIGIL_ACCESS_TOKEN_TTL: "2h" }),
      "SIGIL_ACCESS_TOKEN_TTL",
      /between 30s and 1h \(got 2h\).*refresh tokens/,
    );
    assertConfigError(() => loadConfig({ SIGIL_ACCESS_TOKEN_TTL: "10" }), "SIGIL_ACCESS_TOKEN_TTL", /got 10s/);
  });

  test("malformed durations and integers", () => {
    assertConfigError(() => loadConfig({ SIGIL_ACCESS_TOKEN_TTL: "15 minutes" }), "SIGIL_ACCESS_TOKEN_TTL", /like 900/);
    assertConfigError(() => loadConfig({ SIGIL_ACCESS_TOKEN_TTL: "-5" }), "SIGIL_ACCESS_TOKEN_TTL");
    assertConfigError(() => loadConfig({ SIGIL_ACCESS_TOKEN_TTL: "1.5h" }), "SIGIL_ACCESS_TOKEN_TTL");
    assertConfigError(() => loadConfig({ SIGIL_PORT: "80a" }), "SIGIL_PORT");
    assertConfigError(() => loadConfig({ SIGIL_PORT: "70000" }), "SIGIL_PORT");
  });

  test("grace window bounds", () => {
    assertConfigError(
      () => loadConfig({ SIGIL_REFRESH_GRACE_WINDOW: "61" }),
      "SIGIL_REFRESH_GRACE_WINDOW",
      /between 0s and 1m/,
    );
    assert.equal(loadConfig({ SIGIL_REFRESH_GRACE_WINDOW: "0" }).refreshGraceSeconds, 0);
  });

  test("idle TTL must fit inside the absolute TTL and outlast an access token", () => {
    assertConfigError(() => loadConfig({ SIGIL_REFRESH_IDLE_TTL: "40d" }), "SIGIL_REFRESH_IDLE_TTL", /must not exceed/);
    assertConfigError(
      () => loadConfig({ SIGIL_REFRESH_IDLE_TTL: "10m" }),
      "SIGIL_REFRESH_IDLE_TTL",
      /at least SIGIL_ACCESS_TOKEN_TTL/,
    );
  });

  test("key rotation must outlast access TTL + JWKS max-age + tolerance", () => {
    assertConfigError(
      () => loadConfig({ SIGIL_KEY_ROTATION_INTERVAL: "1h", SIGIL_JWKS_MAX_AGE: "1h" }),
      "SIGIL_KEY_ROTATION_INTERVAL",
    );
  });

  test("HS256 needs a strong secret; the secret is refused with other algorithms", () => {
    assertConfigError(() => loadConfig({ SIGIL_SIGNING_ALG: "HS256" }), "SIGIL_HMAC_SECRET", /no secret is set/);
    assertConfigError(
      () => loadConfig({ SIGIL_SIGNING_ALG: "HS256", SIGIL_HMAC_SECRET: "short" }),
      "SIGIL_HMAC_SECRET",
    );
    assertConfigError(
      () => loadConfig({ SIGIL_SIGNING_ALG: "HS256", SIGIL_HMAC_SECRET: "your-256-bit-secret" }),
      "SIGIL_HMAC_SECRET",
      /jwt\.io/,
    );
    assertConfigError(
      () => loadConfig({ SIGIL_HMAC_SECRET: randomBytes(32).toString("base64url") }),
      "SIGIL_HMAC_SECRET",
      /only used with/,
    );
    assertConfigError(
      () => loadConfig({ SIGIL_SIGNING_ALG: "none" }),
      "SIGIL_SIGNING_ALG",
      /EdDSA, ES256, RS256, HS256/,
    );
  });

  test("SIGIL_METRICS_TOKEN: a strong token is kept; a short, well-known or patterned one is refused, never echoed", () => {
    assert.equal(loadConfig({}).metricsToken, undefined);
    const token = randomBytes(32).toString("base64url");
    assert.equal(loadConfig({ SIGIL_METRICS_TOKEN: token }).metricsToken, token);
    const short = assertConfigError(
      () => loadConfig({ SIGIL_METRICS_TOKEN: "prometheus-scrape" }),
      "SIGIL_METRICS_TOKEN",
      /17 bytes; it needs at least 32 random bytes; generate one with `sigil secret`/,
    );
    assert.ok(!short.message.includes("prometheus-scrape"));
    assertConfigError(() => loadConfig({ SIGIL_METRICS_TOKEN: "secret".repeat(6) }), "SIGIL_METRICS_TOKEN");
    assertConfigError(() => loadConfig({ SIGIL_METRICS_TOKEN: "a".repeat(40) }), "SIGIL_METRICS_TOKEN");
    // Strong, but no Bearer header could carry it.
    const spaced = `${randomBytes(24).toString("base64url")} ${randomBytes(24).toString("base64url")}`;
    assertConfigError(() => loadConfig({ SIGIL_METRICS_TOKEN: spaced }), "SIGIL_METRICS_TOKEN", /RFC 6750/);
  });

  test("a blank secret is unset, never an empty secret", () => {
    assertConfigError(
      () => loadConfig({ SIGIL_SIGNING_ALG: "HS256", SIGIL_HMAC_SECRET: "   " }),
      "SIGIL_HMAC_SECRET",
      /no secret is set/,
    );
    assertConfigError(
      () => loadConfig({ ...PROD, SIGIL_KEY_ENCRYPTION_KEY: "" }),
      "SIGIL_KEY_ENCRYPTION_KEY",
      /required/,
    );
  });

  test("password length bounds follow NIST SP 800-63B", () => {
    assertConfigError(() => loadConfig({ SIGIL_PASSWORD_MIN_LENGTH: "6" }), "SIGIL_PASSWORD_MIN_LENGTH");
    assertConfigError(() => loadConfig({ SIGIL_PASSWORD_MAX_LENGTH: "64" }), "SIGIL_PASSWORD_MAX_LENGTH");
  });

  test("hash concurrency: cores − 1 worker threads by default (one core for the event loop), bounded", () => {
    assert.equal(defaultHashConcurrency(1), 1);
    assert.equal(defaultHashConcurrency(2), 1);
    assert.equal(defaultHashConcurrency(8), 7);
    assertConfigError(() => loadConfig({ SIGIL_HASH_CONCURRENCY: "0" }), "SIGIL_HASH_CONCURRENCY");
    assertConfigError(() => loadConfig({ SIGIL_HASH_CONCURRENCY: "257" }), "SIGIL_HASH_CONCURRENCY");
    // Hashing is off libuv's pool: its size no longer bounds the setting.
    assert.equal(loadConfig({ SIGIL_HASH_CONCURRENCY: "8", UV_THREADPOOL_SIZE: "4" }).hashConcurrency, 8);
  });

  test("rate-limit block cap, store, trust proxy, log level, env, DATABASE_URL", () => {
    assertConfigError(
      () => loadConfig({ SIGIL_LOGIN_MAX_BLOCK: "2h" }),
      "SIGIL_LOGIN_MAX_BLOCK",
      /lock a real user out/,
    );
    assertConfigError(() => loadConfig({ SIGIL_RATE_LIMIT_STORE: "redis" }), "SIGIL_RATE_LIMIT_STORE");
    assertConfigError(() => loadConfig({ SIGIL_TRUST_PROXY: "10.0.0.0/99" }), "SIGIL_TRUST_PROXY");
    assertConfigError(() => loadConfig({ SIGIL_LOG_LEVEL: "loud" }), "SIGIL_LOG_LEVEL");
    assertConfigError(() => loadConfig({ SIGIL_ENV: "staging" }), "SIGIL_ENV");
    assertConfigError(() => loadConfig({ SIGIL_HOST: "http://0.0.0.0" }), "SIGIL_HOST");
    assertConfigError(() => loadConfig({ SIGIL_AUDIENCE: "two words" }), "SIGIL_AUDIENCE");
    const error = assertConfigError(() => loadConfig({ DATABASE_URL: "mysql://u:hunter2secret@h/db" }), "DATABASE_URL");
    assert.ok(!error.message.includes("hunter2secret"));
  });
});

describe("loadConfig: values", () => {
  test("production refuses GET /metrics open on the main listener, unless a token, an address or an explicit yes", () => {
    const { SIGIL_METRICS_ADDRESS: _internal, ...open } = PROD;
    assertConfigError(() => loadConfig(open), "SIGIL_METRICS_TOKEN", /SIGIL_METRICS_ADDRESS|SIGIL_METRICS_PUBLIC/);
    assert.deepEqual(loadConfig(PROD).metricsAddress, { host: "127.0.0.1", port: 9464 });
    assert.equal(loadConfig({ ...open, SIGIL_METRICS_PUBLIC: "true" }).metricsAddress, undefined);
    assert.ok(loadConfig({ ...open, SIGIL_METRICS_TOKEN: randomBytes(32).toString("base64url") }).metricsToken);
    assert.deepEqual(loadConfig({ SIGIL_METRICS_ADDRESS: "[::1]:9100" }).metricsAddress, { host: "::1", port: 9100 });
    for (const bad of ["9464", "localhost", "host:0", "host:70000", "a b:1"]) {
      assertConfigError(() => loadConfig({ SIGIL_METRICS_ADDRESS: bad }), "SIGIL_METRICS_ADDRESS");
    }
    assert.equal(loadConfig({}).metricsAddress, undefined, "development serves it on the main listener");
  });

  test("service tokens get an audience of their own, never the users'", () => {
    const config = loadConfig({ SIGIL_ISSUER: "http://localhost:3000" });
    assert.equal(config.audience, "http://localhost:3000");
    assert.equal(config.serviceAudience, "http://localhost:3000/services");
    assertConfigError(
      () =>
        loadConfig({ SIGIL_AUDIENCE: "https://api.example.com", SIGIL_SERVICE_AUDIENCE: "https://api.example.com" }),
      "SIGIL_SERVICE_AUDIENCE",
    );
  });

  test("PORT is honoured when SIGIL_PORT is unset (hosting platforms set it); SIGIL_PORT wins", () => {
    assert.equal(loadConfig({}).port, 3000);
    const platform = loadConfig({ PORT: "8080" });
    assert.equal(platform.port, 8080);
    assert.equal(platform.issuer, "http://localhost:8080", "the development issuer follows the port");
    assert.equal(loadConfig({ PORT: "8080", SIGIL_PORT: "9000" }).port, 9000);
    assertConfigError(() => loadConfig({ PORT: "eighty" }), "PORT");
  });

  test("logs are readable lines in development and JSON in production, unless SIGIL_LOG_FORMAT says", () => {
    assert.equal(loadConfig({}).logFormat, "pretty");
    assert.equal(loadConfig(PROD).logFormat, "json");
    assert.equal(loadConfig({ SIGIL_LOG_FORMAT: "json" }).logFormat, "json");
    assert.equal(loadConfig({ ...PROD, SIGIL_LOG_FORMAT: "pretty" }).logFormat, "pretty");
    assertConfigError(() => loadConfig({ SIGIL_LOG_FORMAT: "xml" }), "SIGIL_LOG_FORMAT");
  });

  test("development defaults, each insecure one listed in warnings", () => {
    const config = loadConfig({});
    assert.equal(config.env, "development");
    assert.equal(config.devMode, true);
    assert.equal(config.issuer, "http://localhost:3000");
    assert.equal(config.audience, config.issuer);
    assert.equal(config.port, 3000);
    assert.equal(config.host, "127.0.0.1");
    assert.equal(config.dataDir, "./.sigil-data");
    assert.equal(config.accessTokenTtl, 900);
    assert.equal(config.refreshAbsoluteTtl, 30 * 86_400);
    assert.equal(config.refreshIdleTtl, 7 * 86_400);
    assert.equal(config.refreshGraceSeconds, 10);
    assert.equal(config.clockTolerance, 30);
    assert.equal(config.signingAlg, "EdDSA");
    assert.equal(config.keyRotationInterval, 30 * 86_400);
    assert.equal(config.jwksMaxAge, 300);
    assert.equal(config.registrationEnabled, true);
    assert.equal(config.passwordMinLength, 8);
    assert.equal(config.passwordMaxLength, 128);
    assert.equal(config.hashConcurrency, Math.max(1, availableParallelism() - 1));
    assert.equal(config.hashQueueLimit, 64);
    assert.deepEqual(config.rateLimit, {
      store: "memory",
      accountFreeFailures: 5,
      addressFreeFailures: 20,
      windowSeconds: 900,
      maxBlockSeconds: 900,
    });
    assert.equal(config.bodyLimit, 16_384);
    assert.equal(config.logLevel, "info");
    assert.equal(config.trustProxy, false);
    assert.ok(!("databaseUrl" in config) && !("keyEncryptionKey" in config) && !("hmacSecret" in config));
    assert.equal(config.warnings.length, 2);
    assert.ok(config.warnings.some((w) => w.includes("stored unencrypted")));
    assert.ok(config.warnings.some((w) => w.includes("SIGIL_ISSUER not set")));
  });

  test("production with the required settings has no warnings", () => {
    const config = loadConfig({ ...PROD, SIGIL_ISSUER: "https://auth.example.com/" });
    assert.equal(config.env, "production");
    assert.equal(config.devMode, false);
    assert.equal(config.issuer, "https://auth.example.com");
    assert.equal(config.keyEncryptionKey?.length, 32);
    assert.deepEqual(config.warnings, []);
  });

  test("production accepts an http issuer on loopback, with a warning", () => {
    const config = loadConfig({ ...PROD, SIGIL_ISSUER: "http://127.0.0.1:8080" });
    assert.equal(config.issuer, "http://127.0.0.1:8080");
    assert.equal(config.warnings.length, 1);
  });

  test("durations accept seconds and units", () => {
    assert.equal(loadConfig({ SIGIL_ACCESS_TOKEN_TTL: "300" }).accessTokenTtl, 300);
    assert.equal(loadConfig({ SIGIL_ACCESS_TOKEN_TTL: "5m" }).accessTokenTtl, 300);
    assert.equal(loadConfig({ SIGIL_ACCESS_TOKEN_TTL: "1h" }).accessTokenTtl, 3600);
    assert.equal(loadConfig({ SIGIL_REFRESH_ABSOLUTE_TTL: "90d" }).refreshAbsoluteTtl, 90 * 86_400);
  });

  test("HS256 with a strong secret", () => {
    const secret = randomBytes(32).toString("base64url");
    const config = loadConfig({ SIGIL_SIGNING_ALG: "HS256", SIGIL_HMAC_SECRET: secret });
    assert.equal(config.signingAlg, "HS256");
    assert.deepEqual(config.hmacSecret, Buffer.from(secret, "utf8"));
  });

  test("other settings", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://sigil:pw@db:5432/sigil",
      SIGIL_AUDIENCE: "api",
      SIGIL_REGISTRATION_ENABLED: "off",
      SIGIL_TRUST_PROXY: "10.0.0.0/8, ::1",
      SIGIL_RATE_LIMIT_STORE: "database",
      SIGIL_LOG_LEVEL: "warn",
    });
    assert.equal(config.databaseUrl, "postgres://sigil:pw@db:5432/sigil");
    assert.equal(config.audience, "api");
    assert.equal(config.registrationEnabled, false);
    assert.deepEqual(config.trustProxy, ["10.0.0.0/8", "::1"]);
    assert.equal(config.rateLimit.store, "database");
    assert.equal(config.logLevel, "warn");
    assert.equal(loadConfig({ SIGIL_TRUST_PROXY: "2" }).trustProxy, 2);
    assert.ok(loadConfig({ SIGIL_TRUST_PROXY: "true" }).warnings.some((w) => w.includes("X-Forwarded-For")));
  });
});

describe("loadConfig: the config file", () => {
  const dir = mkdtempSync(join(tmpdir(), "sigil-config-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };

  test("file values apply, the environment wins", () => {
    const file = write(
      "a.json",
      JSON.stringify({ SIGIL_PORT: 4000, SIGIL_ACCESS_TOKEN_TTL: "10m", SIGIL_REGISTRATION_ENABLED: false }),
    );
    const config = loadConfig({ SIGIL_CONFIG_FILE: file, SIGIL_PORT: "5000" });
    assert.equal(config.port, 5000);
    assert.equal(config.accessTokenTtl, 600);
    assert.equal(config.registrationEnabled, false);
    assert.equal(loadConfig({}, { file }).port, 4000);
  });

  test("unknown keys, bad JSON, a missing file", () => {
    assertConfigError(
      () => loadConfig({}, { file: write("b.json", '{"SIGIL_PROT": 1}') }),
      "SIGIL_PROT",
      /unknown setting/,
    );
    assertConfigError(() => loadConfig({}, { file: write("c.json", "{nope") }), "SIGIL_CONFIG_FILE", /not valid JSON/);
    assertConfigError(() => loadConfig({}, { file: write("d.json", "[1]") }), "SIGIL_CONFIG_FILE", /one JSON object/);
    assertConfigError(() => loadConfig({}, { file: join(dir, "missing.json") }), "SIGIL_CONFIG_FILE", /ENOENT/);
    assertConfigError(() => loadConfig({}, { file: write("e.json", '{"SIGIL_PORT": [1]}') }), "SIGIL_PORT");
  });

  test("a world-readable file holding a secret is a warning", () => {
    const file = write("f.json", JSON.stringify({ SIGIL_KEY_ENCRYPTION_KEY: KEK }));
    assert.ok(!loadConfig({}, { file }).warnings.some((w) => w.includes("chmod")));
    chmodSync(file, 0o644);
    assert.ok(loadConfig({}, { file }).warnings.some((w) => w.includes("chmod 600")));
  });
});
