import { availableParallelism } from "node:os";
import type { RateLimitConfig, ServerConfig } from "./config.js";
import { ConfigError } from "./config-error.js";
import { parseIssuer } from "./issuer.js";
import { readLifetimes } from "./lifetimes.js";
import { readMailConfig } from "./mail-config.js";
import { parseHmacSecret } from "./secrets.js";
import { readSetting, type Setting } from "./setting.js";
import { SettingSource } from "./setting-source.js";
import {
  DATABASE_URL,
  NODE_ENV,
  PORT,
  SIGIL_AUDIENCE,
  SIGIL_AUTHORIZATION_CODE_TTL,
  SIGIL_BODY_LIMIT,
  SIGIL_BRAND_ACCENT_COLOR,
  SIGIL_BRAND_LOGO_URL,
  SIGIL_DATA_DIR,
  SIGIL_ENV,
  SIGIL_FEED_HEARTBEAT,
  SIGIL_FEED_MAX_CONNECTIONS,
  SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT,
  SIGIL_FORWARD_AUTH_COOKIE,
  SIGIL_HASH_CONCURRENCY,
  SIGIL_HASH_QUEUE_LIMIT,
  SIGIL_HMAC_SECRET,
  SIGIL_HOST,
  SIGIL_HOSTED_PAGES,
  SIGIL_ISSUER,
  SIGIL_KEY_ENCRYPTION_KEY,
  SIGIL_LOG_FORMAT,
  SIGIL_LOG_LEVEL,
  SIGIL_LOGIN_ACCOUNT_FAILURES,
  SIGIL_LOGIN_ADDRESS_FAILURES,
  SIGIL_LOGIN_FAILURE_WINDOW,
  SIGIL_LOGIN_MAX_BLOCK,
  SIGIL_METRICS_ADDRESS,
  SIGIL_METRICS_PUBLIC,
  SIGIL_METRICS_TOKEN,
  SIGIL_PASSWORD_GRANT,
  SIGIL_PASSWORD_MAX_LENGTH,
  SIGIL_PASSWORD_MIN_LENGTH,
  SIGIL_PASSWORD_RESET_TTL,
  SIGIL_PORT,
  SIGIL_PRODUCT_NAME,
  SIGIL_RATE_LIMIT_STORE,
  SIGIL_REGISTRATION_ADDRESS_LIMIT,
  SIGIL_REGISTRATION_ENABLED,
  SIGIL_REGISTRATION_LIMIT,
  SIGIL_REGISTRATION_WINDOW,
  SIGIL_REQUIRE_VERIFIED_EMAIL,
  SIGIL_SERVICE_AUDIENCE,
  SIGIL_SIGNING_ALG,
  SIGIL_TRUST_PROXY,
  SIGIL_VERIFICATION_CODE_TTL,
  SIGIL_WEB_ORIGINS,
} from "./settings.js";

/** The port when neither SIGIL_PORT nor PORT is set. */
const DEFAULT_PORT = 3000;

/**
 * Reads and validates the server's configuration from environment variables and, optionally, a
 * JSON file (`options.file`, else SIGIL_CONFIG_FILE) whose keys are the same names; the
 * environment wins. Each setting is read as settings.ts declares it (its parser, default and
 * bounds); what depends on several settings — production mode, the issuer's default, lifetimes
 * that must fit each other — is checked here. Throws {@link ConfigError} (one line naming the
 * setting and the fix) for anything missing, malformed, out of bounds or weak.
 *
 * @example
 * const config = loadConfig(process.env);
 * for (const warning of config.warnings) console.warn(warning);
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: { file?: string } = {}): ServerConfig {
  const source = new SettingSource(env, options);
  const warnings: string[] = [...source.warnings];
  const get = (name: string): string | undefined => source.get(name);
  const read = <T>(setting: Setting<T>): T | undefined => readSetting(setting, get);
  const required = <T>(setting: Setting<T>): T => {
    const value = read(setting);
    if (value === undefined) throw new TypeError(`setting ${setting.name} has no default`);
    return value;
  };

  // Either variable saying production is enough: a deployment is never weakened by a stray value.
  const production = required(SIGIL_ENV) === "production" || read(NODE_ENV) === "production";

  const host = required(SIGIL_HOST);
  const port = read(SIGIL_PORT) ?? read(PORT) ?? DEFAULT_PORT;

  const issuerRaw = read(SIGIL_ISSUER);
  if (issuerRaw === undefined && production) {
    throw new ConfigError("SIGIL_ISSUER", "is required in production; set the public https URL of this server");
  }
  const parsedIssuer = parseIssuer(issuerRaw ?? `http://localhost:${port}`, { production });
  if (issuerRaw === undefined) warnings.push(`SIGIL_ISSUER not set: using ${parsedIssuer.issuer} (development only)`);
  else if (parsedIssuer.warning) warnings.push(parsedIssuer.warning);
  const issuer = parsedIssuer.issuer;

  const audience = read(SIGIL_AUDIENCE) ?? issuer;
  const serviceAudience = read(SIGIL_SERVICE_AUDIENCE) ?? `${issuer}/services`;
  if (serviceAudience === audience) {
    throw new ConfigError(
      "SIGIL_SERVICE_AUDIENCE",
      "must differ from the users' audience (SIGIL_AUDIENCE, else the issuer): a service token would pass for a user's wherever that audience is accepted",
    );
  }

  const databaseUrl = read(DATABASE_URL);
  const lifetimes = readLifetimes(get);

  const signingAlg = required(SIGIL_SIGNING_ALG);
  if (signingAlg !== "HS256" && get(SIGIL_HMAC_SECRET.name) !== undefined) {
    throw new ConfigError(
      "SIGIL_HMAC_SECRET",
      `is only used with SIGIL_SIGNING_ALG=HS256 (single-service mode), but the algorithm is ${signingAlg}; unset it`,
    );
  }
  // Read even when unset, so that HS256 without a secret is refused with the secret's own message.
  const hmacSecret = signingAlg === "HS256" ? parseHmacSecret(get(SIGIL_HMAC_SECRET.name)) : undefined;

  const keyEncryptionKey = read(SIGIL_KEY_ENCRYPTION_KEY);
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

  const rateLimit: RateLimitConfig = {
    store: required(SIGIL_RATE_LIMIT_STORE),
    accountFreeFailures: required(SIGIL_LOGIN_ACCOUNT_FAILURES),
    addressFreeFailures: required(SIGIL_LOGIN_ADDRESS_FAILURES),
    windowSeconds: required(SIGIL_LOGIN_FAILURE_WINDOW),
    maxBlockSeconds: required(SIGIL_LOGIN_MAX_BLOCK),
  };

  const forwardAuthCookie = read(SIGIL_FORWARD_AUTH_COOKIE);
  const metricsToken = read(SIGIL_METRICS_TOKEN);
  const metricsAddress = read(SIGIL_METRICS_ADDRESS);
  if (production && metricsToken === undefined && metricsAddress === undefined && !required(SIGIL_METRICS_PUBLIC)) {
    // The metrics tell whoever reads them how many sign-ins fail and how often tokens are stolen.
    throw new ConfigError(
      "SIGIL_METRICS_TOKEN",
      "production refuses GET /metrics open to anyone on the main listener: set SIGIL_METRICS_TOKEN (`sigil secret` makes one), or SIGIL_METRICS_ADDRESS to serve it on an internal listener, or SIGIL_METRICS_PUBLIC=true if the port is private",
    );
  }
  const webOrigins = read(SIGIL_WEB_ORIGINS) ?? [];
  const plainOrigin = webOrigins.find((origin) => origin.startsWith("http:"));
  if (production && plainOrigin !== undefined) {
    throw new ConfigError(
      "SIGIL_WEB_ORIGINS",
      `production allows https origins only (got ${plainOrigin}): the refresh cookie and the pages' redirects would cross the network in clear`,
    );
  }
  const logoUrl = read(SIGIL_BRAND_LOGO_URL);
  const trustProxy = required(SIGIL_TRUST_PROXY);
  if (trustProxy.warning) warnings.push(trustProxy.warning);

  const dataDir = required(SIGIL_DATA_DIR);
  const productName = required(SIGIL_PRODUCT_NAME);
  const mail = readMailConfig(get, { production, dataDir, productName });
  // Verification needs mail: with the email flows off, no account could ever be verified.
  const requireVerifiedEmail = read(SIGIL_REQUIRE_VERIFIED_EMAIL) ?? (production && mail.accountRecovery);
  if (requireVerifiedEmail && !mail.accountRecovery) {
    throw new ConfigError(
      "SIGIL_REQUIRE_VERIFIED_EMAIL",
      "cannot be true with SIGIL_ACCOUNT_RECOVERY=false: verification codes go by mail, so no account could ever sign in; turn account recovery on (with SIGIL_SMTP_URL) or set SIGIL_REQUIRE_VERIFIED_EMAIL=false",
    );
  }
  warnings.push(...mail.warnings);

  return Object.freeze({
    env: production ? "production" : "development",
    devMode: !production,
    issuer,
    audience,
    serviceAudience,
    host,
    port,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    dataDir,
    ...lifetimes,
    signingAlg,
    ...(hmacSecret === undefined ? {} : { hmacSecret }),
    ...(keyEncryptionKey === undefined ? {} : { keyEncryptionKey }),
    registrationEnabled: required(SIGIL_REGISTRATION_ENABLED),
    accountRecovery: mail.accountRecovery,
    productName,
    mail: Object.freeze(mail.mail),
    registrationLimits: Object.freeze({
      perAddress: required(SIGIL_REGISTRATION_ADDRESS_LIMIT),
      overall: required(SIGIL_REGISTRATION_LIMIT),
      windowSeconds: required(SIGIL_REGISTRATION_WINDOW),
    }),
    requireVerifiedEmail,
    verificationCodeTtl: required(SIGIL_VERIFICATION_CODE_TTL),
    passwordResetTtl: required(SIGIL_PASSWORD_RESET_TTL),
    webOrigins,
    hostedPages: required(SIGIL_HOSTED_PAGES),
    passwordGrant: required(SIGIL_PASSWORD_GRANT),
    authorizationCodeTtl: required(SIGIL_AUTHORIZATION_CODE_TTL),
    brand: Object.freeze({
      ...(logoUrl === undefined ? {} : { logoUrl }),
      accentColor: required(SIGIL_BRAND_ACCENT_COLOR),
    }),
    passwordMinLength: required(SIGIL_PASSWORD_MIN_LENGTH),
    passwordMaxLength: required(SIGIL_PASSWORD_MAX_LENGTH),
    hashConcurrency: read(SIGIL_HASH_CONCURRENCY) ?? defaultHashConcurrency(availableParallelism()),
    hashQueueLimit: required(SIGIL_HASH_QUEUE_LIMIT),
    rateLimit: Object.freeze(rateLimit),
    bodyLimit: required(SIGIL_BODY_LIMIT),
    feedHeartbeatSeconds: required(SIGIL_FEED_HEARTBEAT),
    feedMaxConnections: required(SIGIL_FEED_MAX_CONNECTIONS),
    feedMaxConnectionsPerClient: required(SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT),
    ...(forwardAuthCookie === undefined ? {} : { forwardAuthCookie }),
    ...(metricsToken === undefined ? {} : { metricsToken }),
    ...(metricsAddress === undefined ? {} : { metricsAddress }),
    logLevel: required(SIGIL_LOG_LEVEL),
    logFormat: read(SIGIL_LOG_FORMAT) ?? (production ? "json" : "pretty"),
    trustProxy: trustProxy.value,
    warnings: Object.freeze(warnings),
  } satisfies ServerConfig);
}

/**
 * One core is left to the event loop: a login flood — often an attack — then cannot take the CPU
 * that token checks, refreshes and health probes need. Measured on 2 vCPUs (bench:server, 4
 * rounds twice each): userinfo p99 under a flood 7.1–7.6 ms with one hashing thread against
 * 8.9–11.8 ms with two, for 14 % fewer logins per second (229 against 265). Hashing runs on its
 * own worker threads (passwords/hash-worker-pool.ts), so the ceiling bounds memory too: each
 * hash holds 12 MiB (argon2id m) while it runs.
 */
export function defaultHashConcurrency(cores: number): number {
  return Math.max(1, cores - 1);
}
