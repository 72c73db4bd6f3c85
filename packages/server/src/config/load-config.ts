import { availableParallelism } from "node:os";
import type { LogLevel, RateLimitConfig, ServerConfig, ServerSigningAlg } from "./config.js";
import { ConfigError } from "./config-error.js";
import { parseIssuer } from "./issuer.js";
import { DAY, HOUR, MINUTE, readDuration, readLifetimes } from "./lifetimes.js";
import { parseBoolean, parseChoice, parseInteger } from "./parse-values.js";
import { parseHmacSecret, parseKeyEncryptionKey, parseMetricsToken } from "./secrets.js";
import { SettingSource } from "./setting-source.js";
import { parseTrustProxy } from "./trust-proxy.js";

const SIGNING_ALGS: readonly ServerSigningAlg[] = ["EdDSA", "ES256", "RS256", "HS256"];
const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * Reads and validates the server's configuration from environment variables and, optionally, a
 * JSON file (`options.file`, else SIGIL_CONFIG_FILE) whose keys are the same names; the
 * environment wins. Every setting is in docs/configuration.md. Throws {@link ConfigError} (one
 * line naming the setting and the fix) for anything missing, malformed, out of bounds or weak.
 *
 * @example
 * const config = loadConfig(process.env);
 * for (const warning of config.warnings) console.warn(warning);
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: { file?: string } = {}): ServerConfig {
  const source = new SettingSource(env, options);
  const warnings: string[] = [...source.warnings];
  const get = (name: string): string | undefined => source.get(name);

  const sigilEnv = parseChoice("SIGIL_ENV", get("SIGIL_ENV") ?? "development", ["development", "production"] as const);
  // Either variable saying production is enough: a deployment is never weakened by a stray value.
  const production = sigilEnv === "production" || get("NODE_ENV") === "production";

  const host = get("SIGIL_HOST") ?? "127.0.0.1";
  if (!/^[A-Za-z0-9.:%_-]{1,253}$/.test(host)) {
    throw new ConfigError(
      "SIGIL_HOST",
      `must be a host name or an IP address such as 0.0.0.0 or ::1 (got ${JSON.stringify(host)})`,
    );
  }
  const port = parseInteger("SIGIL_PORT", get("SIGIL_PORT") ?? "3000", { min: 0, max: 65_535 });

  const issuerRaw = get("SIGIL_ISSUER");
  if (issuerRaw === undefined && production) {
    throw new ConfigError("SIGIL_ISSUER", "is required in production; set the public https URL of this server");
  }
  const parsedIssuer = parseIssuer(issuerRaw ?? `http://localhost:${port}`, { production });
  if (issuerRaw === undefined) warnings.push(`SIGIL_ISSUER not set: using ${parsedIssuer.issuer} (development only)`);
  else if (parsedIssuer.warning) warnings.push(parsedIssuer.warning);
  const issuer = parsedIssuer.issuer;

  const databaseUrl = get("DATABASE_URL");
  if (databaseUrl !== undefined) checkDatabaseUrl(databaseUrl);

  const lifetimes = readLifetimes(get);

  const signingAlg = parseChoice("SIGIL_SIGNING_ALG", get("SIGIL_SIGNING_ALG") ?? "EdDSA", SIGNING_ALGS);
  const hmacRaw = get("SIGIL_HMAC_SECRET");
  if (signingAlg !== "HS256" && hmacRaw !== undefined) {
    throw new ConfigError(
      "SIGIL_HMAC_SECRET",
      `is only used with SIGIL_SIGNING_ALG=HS256 (single-service mode), but the algorithm is ${signingAlg}; unset it`,
    );
  }
  const hmacSecret = signingAlg === "HS256" ? parseHmacSecret(hmacRaw) : undefined;

  const kekRaw = get("SIGIL_KEY_ENCRYPTION_KEY");
  const keyEncryptionKey = kekRaw === undefined ? undefined : parseKeyEncryptionKey(kekRaw);
  if (keyEncryptionKey === undefined) {
    if (production) {
      throw new ConfigError(
        "SIGIL_KEY_ENCRYPTION_KEY",
        "is required in production (32 random bytes, base64url) to encrypt private signing keys at rest; generate one with `sigil secret`",
      );
    }
    warnings.push(
      "SIGIL_KEY_ENCRYPTION_KEY not set: private signing keys are stored unencrypted in the database (generate one with `sigil secret`)",
    );
  }

  const passwordMinLength = parseInteger("SIGIL_PASSWORD_MIN_LENGTH", get("SIGIL_PASSWORD_MIN_LENGTH") ?? "8", {
    min: 8,
    max: 64,
  });
  const passwordMaxLength = parseInteger("SIGIL_PASSWORD_MAX_LENGTH", get("SIGIL_PASSWORD_MAX_LENGTH") ?? "128", {
    min: 128,
    max: 1024,
  });

  const hashConcurrency = parseHashConcurrency(get("SIGIL_HASH_CONCURRENCY"));
  const hashQueueLimit = parseInteger("SIGIL_HASH_QUEUE_LIMIT", get("SIGIL_HASH_QUEUE_LIMIT") ?? "64", {
    min: 0,
    max: 10_000,
  });

  const rateLimit: RateLimitConfig = {
    store: parseChoice("SIGIL_RATE_LIMIT_STORE", get("SIGIL_RATE_LIMIT_STORE") ?? "memory", ["memory", "database"]),
    accountFreeFailures: parseInteger("SIGIL_LOGIN_ACCOUNT_FAILURES", get("SIGIL_LOGIN_ACCOUNT_FAILURES") ?? "5", {
      min: 1,
      max: 100,
    }),
    addressFreeFailures: parseInteger("SIGIL_LOGIN_ADDRESS_FAILURES", get("SIGIL_LOGIN_ADDRESS_FAILURES") ?? "20", {
      min: 1,
      max: 10_000,
    }),
    windowSeconds: readDuration(get, "SIGIL_LOGIN_FAILURE_WINDOW", "15m", { min: MINUTE, max: DAY }),
    maxBlockSeconds: readDuration(get, "SIGIL_LOGIN_MAX_BLOCK", "15m", {
      min: 1,
      max: HOUR,
      why: "a longer block lets an attacker lock a real user out for that long",
    }),
  };

  const forwardAuthCookie = get("SIGIL_FORWARD_AUTH_COOKIE");
  if (forwardAuthCookie !== undefined && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/.test(forwardAuthCookie)) {
    throw new ConfigError("SIGIL_FORWARD_AUTH_COOKIE", "must be a cookie name (RFC 6265 token characters)");
  }

  const metricsTokenRaw = get("SIGIL_METRICS_TOKEN");
  const metricsToken = metricsTokenRaw === undefined ? undefined : parseMetricsToken(metricsTokenRaw);

  const trustProxy = parseTrustProxy(get("SIGIL_TRUST_PROXY"));
  if (trustProxy.warning) warnings.push(trustProxy.warning);

  return Object.freeze({
    env: production ? "production" : "development",
    devMode: !production,
    issuer,
    audience: parseAudience(get("SIGIL_AUDIENCE")) ?? issuer,
    host,
    port,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    dataDir: get("SIGIL_DATA_DIR") ?? "./.sigil-data",
    ...lifetimes,
    signingAlg,
    ...(hmacSecret === undefined ? {} : { hmacSecret }),
    ...(keyEncryptionKey === undefined ? {} : { keyEncryptionKey }),
    registrationEnabled: parseBoolean("SIGIL_REGISTRATION_ENABLED", get("SIGIL_REGISTRATION_ENABLED") ?? "true"),
    passwordMinLength,
    passwordMaxLength,
    hashConcurrency,
    hashQueueLimit,
    rateLimit: Object.freeze(rateLimit),
    bodyLimit: parseInteger("SIGIL_BODY_LIMIT", get("SIGIL_BODY_LIMIT") ?? "16384", { min: 1024, max: 1_048_576 }),
    feedHeartbeatSeconds: readDuration(get, "SIGIL_FEED_HEARTBEAT", "5s", {
      min: 1,
      max: MINUTE,
      why: "verifiers measure the feed's freshness by its heartbeat",
    }),
    ...(forwardAuthCookie === undefined ? {} : { forwardAuthCookie }),
    ...(metricsToken === undefined ? {} : { metricsToken }),
    logLevel: parseChoice("SIGIL_LOG_LEVEL", get("SIGIL_LOG_LEVEL") ?? "info", LOG_LEVELS),
    trustProxy: trustProxy.value,
    warnings: Object.freeze(warnings),
  } satisfies ServerConfig);
}

/**
 * Hashing runs on its own worker threads (passwords/hash-worker-pool.ts), not on libuv's pool, so
 * it competes with nothing but CPU. The ceiling bounds memory: each hash holds 12 MiB (argon2id m)
 * while it runs.
 */
function parseHashConcurrency(raw: string | undefined): number {
  return parseInteger("SIGIL_HASH_CONCURRENCY", raw ?? String(defaultHashConcurrency(availableParallelism())), {
    min: 1,
    max: 256,
  });
}

/**
 * One core is left to the event loop: a login flood — often an attack — then cannot take the CPU
 * that token checks, refreshes and health probes need. Measured on 2 vCPUs (bench:server, 4
 * rounds twice each): userinfo p99 under a flood 7.1–7.6 ms with one hashing thread against
 * 8.9–11.8 ms with two, for 14 % fewer logins per second (229 against 265).
 */
export function defaultHashConcurrency(cores: number): number {
  return Math.max(1, cores - 1);
}

/** One `aud` value: a URI or a name, printable and without spaces (RFC 7519 §4.1.3: a StringOrURI). */
function parseAudience(raw: string | undefined): string | undefined {
  if (raw !== undefined && !/^[\x21-\x7e]{1,512}$/.test(raw)) {
    throw new ConfigError("SIGIL_AUDIENCE", "must be one URI or name of printable characters without spaces");
  }
  return raw;
}

/** Checks the shape only; the message never echoes the URL, which may hold a password. */
function checkDatabaseUrl(raw: string): void {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "postgres:" && url.protocol !== "postgresql:")) {
    throw new ConfigError(
      "DATABASE_URL",
      "must be a URL like postgres://user:password@host:5432/database; unset it to use the embedded database",
    );
  }
}
