import type { LogLevel, ServerSigningAlg } from "./config.js";
import { ConfigError } from "./config-error.js";
import { parseMailFrom } from "./mail-from.js";
import { DAY, HOUR, MINUTE } from "./parse-values.js";
import { parseHmacSecret, parseKeyEncryptionKey, parseMetricsToken } from "./secrets.js";
import { boolean, choice, custom, defineSetting, duration, integer, type Setting } from "./setting.js";
import { parseSmtpUrl } from "./smtp-url.js";
import { parseTrustProxy } from "./trust-proxy.js";
import { parseAccentColor, parseLogoUrl, parseWebOrigins } from "./web-origins.js";

/**
 * Every setting `loadConfig` reads, declared once (see setting.ts): docs/configuration.md's table
 * is generated from this list, and `loadConfig` refuses to read a name that is not in it, so a
 * new setting cannot ship undocumented. Order here is the order of the docs.
 */

const text = (boundsText: string) => custom(boundsText, (_name, raw) => raw);

/** "host:port", IPv6 hosts in brackets; the port 1 … 65535. */
function parseListenAddress(name: string, raw: string): { host: string; port: number } {
  const match = /^(\[[0-9A-Fa-f:.%\w]+\]|[A-Za-z0-9.-]{1,253}):(\d{1,5})$/.exec(raw);
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigError(name, `must be host:port, like 127.0.0.1:9464 or [::1]:9464 (got ${JSON.stringify(raw)})`);
  }
  return { host: (match[1] as string).replace(/^\[|\]$/g, ""), port };
}

export const SIGIL_ENV = defineSetting({
  name: "SIGIL_ENV",
  kind: choice(["development", "production"]),
  default: "development",
  defaultText: "development (production when NODE_ENV=production)",
  meaning: "production refuses insecure defaults; development runs with them and prints a warning for each",
});
export const NODE_ENV = defineSetting({
  name: "NODE_ENV",
  kind: text("any"),
  defaultText: "unset",
  meaning: "production here also selects production mode, whatever SIGIL_ENV says",
});
export const SIGIL_CONFIG_FILE = defineSetting({
  name: "SIGIL_CONFIG_FILE",
  kind: text("a path"),
  defaultText: "unset",
  meaning: "a JSON file of settings keyed by these names; environment variables take precedence",
});
export const SIGIL_ISSUER = defineSetting({
  name: "SIGIL_ISSUER",
  // Checked in loadConfig (issuer.ts), which knows whether this is production.
  kind: text("absolute URL, https unless the host is loopback, no query or fragment"),
  defaultText: "http://localhost:<port> in development; required in production",
  meaning: "the iss of every token and the base URL of every endpoint (a trailing slash is removed)",
});
// RFC 7519 §4.1.3: an audience is a StringOrURI.
const SIGIL_AUDIENCE_KIND = custom("one URI or name, printable ASCII, no spaces", (name, raw) => {
  if (!/^[\x21-\x7e]{1,512}$/.test(raw)) {
    throw new ConfigError(name, "must be one URI or name of printable characters without spaces");
  }
  return raw;
});
export const SIGIL_AUDIENCE = defineSetting({
  name: "SIGIL_AUDIENCE",
  kind: SIGIL_AUDIENCE_KIND,
  defaultText: "the issuer",
  meaning: "the aud of access tokens issued to users",
});
export const SIGIL_SERVICE_AUDIENCE = defineSetting({
  name: "SIGIL_SERVICE_AUDIENCE",
  kind: SIGIL_AUDIENCE_KIND,
  defaultText: "the issuer + /services",
  meaning:
    "the aud of service (client_credentials) tokens whose client has no audience of its own; never the users' audience, so a service token is never taken for a user's",
});
export const SIGIL_HOST = defineSetting({
  name: "SIGIL_HOST",
  kind: custom("host name or address (0.0.0.0: every interface, as in a container)", (name, raw) => {
    if (!/^[A-Za-z0-9.:%_-]{1,253}$/.test(raw)) {
      throw new ConfigError(
        name,
        `must be a host name or an IP address such as 0.0.0.0 or ::1 (got ${JSON.stringify(raw)})`,
      );
    }
    return raw;
  }),
  default: "127.0.0.1",
  meaning: "the address to listen on",
});
const port = integer({ min: 0, max: 65_535, note: "0: any free port" });
export const SIGIL_PORT = defineSetting({
  name: "SIGIL_PORT",
  kind: port,
  defaultText: "PORT, else 3000",
  meaning: "the port to listen on",
});
export const PORT = defineSetting({
  name: "PORT",
  kind: port,
  defaultText: "unset",
  meaning: "the port when SIGIL_PORT is unset, as hosting platforms set it",
});
export const DATABASE_URL = defineSetting({
  name: "DATABASE_URL",
  // Checks the shape only; the message never echoes the URL, which may hold a password.
  kind: custom("postgres:// or postgresql:// URL", (name, raw) => {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== "postgres:" && url.protocol !== "postgresql:")) {
      throw new ConfigError(
        name,
        "must be a URL like postgres://user:password@host:5432/database; unset it to use the embedded database",
      );
    }
    return raw;
  }),
  defaultText: "unset (embedded PGlite)",
  meaning: "a PostgreSQL server to use instead of the embedded database",
  secret: true,
});
export const SIGIL_DATA_DIR = defineSetting({
  name: "SIGIL_DATA_DIR",
  kind: text("a directory path"),
  default: "./.sigil-data",
  meaning: "where the embedded PGlite database lives (unused with DATABASE_URL)",
});
export const SIGIL_ACCESS_TOKEN_TTL = defineSetting({
  name: "SIGIL_ACCESS_TOKEN_TTL",
  kind: duration({
    min: 30,
    max: HOUR,
    why: "an access token cannot be recalled from resource servers that only check its signature, so keep it short and let refresh tokens carry long sessions",
  }),
  default: "15m",
  meaning: "lifetime of access tokens; longer is refused because resource servers cannot revoke what they do not check",
});
export const SIGIL_REFRESH_ABSOLUTE_TTL = defineSetting({
  name: "SIGIL_REFRESH_ABSOLUTE_TTL",
  kind: duration({ min: HOUR, max: 365 * DAY }),
  default: "30d",
  meaning: "a session ends this long after login, however active",
});
export const SIGIL_REFRESH_IDLE_TTL = defineSetting({
  name: "SIGIL_REFRESH_IDLE_TTL",
  kind: duration({ min: 5 * MINUTE, max: 365 * DAY, boundsText: "5m … SIGIL_REFRESH_ABSOLUTE_TTL" }),
  default: "7d",
  meaning: "a session ends after this long without a refresh",
});
export const SIGIL_REFRESH_GRACE_WINDOW = defineSetting({
  name: "SIGIL_REFRESH_GRACE_WINDOW",
  kind: duration({
    min: 0,
    max: 60,
    why: "a longer window gives a stolen refresh token more time before reuse is treated as theft",
  }),
  default: "10s",
  meaning:
    "a just-rotated refresh token may be presented again this long (parallel tabs, retries) without counting as theft",
});
export const SIGIL_CLOCK_TOLERANCE = defineSetting({
  name: "SIGIL_CLOCK_TOLERANCE",
  kind: duration({ min: 0, max: 5 * MINUTE }),
  default: "30s",
  meaning: "clock skew allowed when checking exp, nbf and iat",
});
export const SIGIL_SIGNING_ALG = defineSetting({
  name: "SIGIL_SIGNING_ALG",
  kind: choice<ServerSigningAlg>(["EdDSA", "ES256", "RS256", "HS256"]),
  default: "EdDSA",
  meaning: "the algorithm access tokens are signed with; HS256 is single-service mode and needs SIGIL_HMAC_SECRET",
});
export const SIGIL_HMAC_SECRET = defineSetting({
  name: "SIGIL_HMAC_SECRET",
  kind: custom(">= 32 random bytes, not a well-known string (`sigil secret` makes one)", (_name, raw) =>
    parseHmacSecret(raw),
  ),
  defaultText: "unset",
  meaning: "the shared secret of HS256 single-service mode; refused with any other algorithm",
  secret: true,
});
export const SIGIL_KEY_ENCRYPTION_KEY = defineSetting({
  name: "SIGIL_KEY_ENCRYPTION_KEY",
  kind: custom("32 random bytes, base64url (`sigil secret` makes one)", (_name, raw) => parseKeyEncryptionKey(raw)),
  defaultText: "unset: private keys stored unencrypted (development only); required in production",
  meaning: "encrypts private signing keys at rest (AES-256-GCM)",
  secret: true,
});
export const SIGIL_KEY_ROTATION_INTERVAL = defineSetting({
  name: "SIGIL_KEY_ROTATION_INTERVAL",
  kind: duration({
    min: HOUR,
    max: 365 * DAY,
    boundsText: "1h … 365d, and longer than access TTL + JWKS max-age + clock tolerance",
  }),
  default: "30d",
  meaning: "a new signing key is introduced this often",
});
export const SIGIL_JWKS_MAX_AGE = defineSetting({
  name: "SIGIL_JWKS_MAX_AGE",
  kind: duration({ min: 0, max: DAY }),
  default: "5m",
  meaning: "Cache-Control max-age of the JWKS; a new key is published at least this long before it signs",
});
export const SIGIL_FEED_HEARTBEAT = defineSetting({
  name: "SIGIL_FEED_HEARTBEAT",
  kind: duration({ min: 1, max: MINUTE, why: "verifiers measure the feed's freshness by its heartbeat" }),
  default: "5s",
  meaning: "interval of heartbeats on the revocation feed; verifiers count a silent feed as stale",
});
export const SIGIL_FEED_MAX_CONNECTIONS = defineSetting({
  name: "SIGIL_FEED_MAX_CONNECTIONS",
  kind: integer({ min: 1, max: 100_000 }),
  default: "1000",
  meaning: "revocation-feed subscribers allowed at once on this instance; beyond it 503 with Retry-After",
});
export const SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT = defineSetting({
  name: "SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT",
  kind: integer({ min: 1, max: 10_000 }),
  default: "16",
  meaning: "revocation-feed subscribers one client may hold at once (one per verifier process); beyond it 429",
});
export const SIGIL_FORWARD_AUTH_COOKIE = defineSetting({
  name: "SIGIL_FORWARD_AUTH_COOKIE",
  kind: custom("a cookie name", (name, raw) => {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/.test(raw)) {
      throw new ConfigError(name, "must be a cookie name (RFC 6265 token characters)");
    }
    return raw;
  }),
  defaultText: "unset",
  meaning: "GET /auth/verify (nginx auth_request, Traefik ForwardAuth) also reads the access token from this cookie",
});
export const SIGIL_METRICS_TOKEN = defineSetting({
  name: "SIGIL_METRICS_TOKEN",
  kind: custom(
    ">= 32 random bytes, not a well-known string, Bearer-token characters (`sigil secret` makes one)",
    (_name, raw) => parseMetricsToken(raw),
  ),
  defaultText: "unset: GET /metrics is open (keep the port internal)",
  meaning: "GET /metrics then answers only `Authorization: Bearer <token>` (Prometheus: `authorization.credentials`)",
  secret: true,
});
export const SIGIL_METRICS_ADDRESS = defineSetting({
  name: "SIGIL_METRICS_ADDRESS",
  kind: custom("host:port (e.g. 127.0.0.1:9464, or [::1]:9464)", (name, raw) => parseListenAddress(name, raw)),
  defaultText: "unset: GET /metrics is served on the main listener",
  meaning: "serve GET /metrics only on this listener of its own (an internal interface), not on SIGIL_HOST:SIGIL_PORT",
});
export const SIGIL_METRICS_PUBLIC = defineSetting({
  name: "SIGIL_METRICS_PUBLIC",
  kind: boolean,
  default: "false",
  meaning:
    "production refuses GET /metrics open to anyone on the main listener; true says it is meant to be (a private network), else set SIGIL_METRICS_TOKEN or SIGIL_METRICS_ADDRESS",
});
export const SIGIL_REGISTRATION_ENABLED = defineSetting({
  name: "SIGIL_REGISTRATION_ENABLED",
  kind: boolean,
  default: "true",
  meaning: "whether POST /auth/register accepts new users",
});
export const SIGIL_REGISTRATION_ADDRESS_LIMIT = defineSetting({
  name: "SIGIL_REGISTRATION_ADDRESS_LIMIT",
  kind: integer({ min: 1, max: 100_000 }),
  default: "10",
  meaning: "registrations one client address may make per SIGIL_REGISTRATION_WINDOW; beyond it 429 with Retry-After",
});
export const SIGIL_REGISTRATION_LIMIT = defineSetting({
  name: "SIGIL_REGISTRATION_LIMIT",
  kind: integer({ min: 1, max: 10_000_000 }),
  default: "1000",
  meaning: "registrations in all per SIGIL_REGISTRATION_WINDOW (a flood from many addresses); beyond it 429",
});
export const SIGIL_REGISTRATION_WINDOW = defineSetting({
  name: "SIGIL_REGISTRATION_WINDOW",
  kind: duration({ min: MINUTE, max: DAY }),
  default: "1h",
  meaning: "the window of the registration quotas",
});
export const SIGIL_ACCOUNT_RECOVERY = defineSetting({
  name: "SIGIL_ACCOUNT_RECOVERY",
  kind: boolean,
  default: "true",
  meaning:
    "whether the email flows run (verification codes, password reset, account notices); on in production, it needs SIGIL_SMTP_URL",
});
export const SIGIL_SMTP_URL = defineSetting({
  name: "SIGIL_SMTP_URL",
  kind: custom(
    "`smtps://[user:password@]host[:port]` (port 465 by default) or `smtp://…` (587); no query options",
    (name, raw) => parseSmtpUrl(name, raw),
  ),
  defaultText:
    "unset: development writes mail to SIGIL_MAIL_OUTBOX; production refuses unless SIGIL_ACCOUNT_RECOVERY=false",
  meaning:
    "the mail server that sends codes and notices; smtps:// is TLS from the start, smtp:// upgrades with STARTTLS, which production requires unless the host is loopback",
  secret: true,
});
export const SIGIL_MAIL_FROM = defineSetting({
  name: "SIGIL_MAIL_FROM",
  kind: custom("an address, or a display name and an address: `Sigil <no-reply@example.com>`", (name, raw) =>
    parseMailFrom(name, raw),
  ),
  defaultText: "`SIGIL_PRODUCT_NAME <no-reply@localhost>` in development; required in production with SIGIL_SMTP_URL",
  meaning: "the sender of every message (an address the SMTP server may send as, covered by the domain's SPF and DKIM)",
});
export const SIGIL_MAIL_OUTBOX = defineSetting({
  name: "SIGIL_MAIL_OUTBOX",
  kind: text("a directory path"),
  defaultText:
    "SIGIL_DATA_DIR/outbox (./.sigil-data/outbox, also with DATABASE_URL); sigil-outbox in the temporary directory with SIGIL_DATA_DIR=memory",
  meaning:
    "development without SIGIL_SMTP_URL writes each message here as an .eml file (mode 0600) instead of sending it; refused in production",
});
export const SIGIL_PRODUCT_NAME = defineSetting({
  name: "SIGIL_PRODUCT_NAME",
  kind: custom("1 … 64 characters, no control characters", (name, raw) => {
    // A line break in a name that goes into subjects would start a header of its own.
    if (raw.length > 64 || /[\p{Cc}\p{Cf}]/u.test(raw)) {
      throw new ConfigError(name, "must be 1 … 64 characters without control or format characters");
    }
    return raw;
  }),
  default: "Sigil",
  meaning: "the product's name as the hosted pages and mail show it (escaped wherever it goes into HTML)",
});
export const SIGIL_REQUIRE_VERIFIED_EMAIL = defineSetting({
  name: "SIGIL_REQUIRE_VERIFIED_EMAIL",
  kind: boolean,
  defaultText: "true in production (with SIGIL_ACCOUNT_RECOVERY), false in development",
  meaning: "whether an account must verify its email address (a code sent there) before it can sign in",
});
export const SIGIL_VERIFICATION_CODE_TTL = defineSetting({
  name: "SIGIL_VERIFICATION_CODE_TTL",
  kind: duration({ min: 5 * MINUTE, max: DAY }),
  default: "30m",
  meaning: "how long a code verifying an email address (sign-up, email change) stays usable",
});
export const SIGIL_PASSWORD_RESET_TTL = defineSetting({
  name: "SIGIL_PASSWORD_RESET_TTL",
  kind: duration({ min: 5 * MINUTE, max: HOUR }),
  default: "15m",
  meaning: "how long a password-reset code stays usable (OWASP: short)",
});
export const SIGIL_WEB_ORIGINS = defineSetting({
  name: "SIGIL_WEB_ORIGINS",
  kind: custom("origins (https://host[:port]; http only on loopback), separated by commas", parseWebOrigins),
  defaultText: "none",
  meaning:
    "the web apps allowed to use Sigil from the browser: the sign-in pages return only to them (?return_to=); only their pages (and the server's own origin) may use cookie mode, the refresh token in an HttpOnly cookie; the JSON API (/auth/*, /userinfo) answers CORS with credentials for exactly these origins",
});
export const SIGIL_HOSTED_PAGES = defineSetting({
  name: "SIGIL_HOSTED_PAGES",
  kind: boolean,
  default: "true",
  meaning: "serve the hosted pages (sign-in, sign-up, account, recovery); false for an API-only server",
});
export const SIGIL_PASSWORD_GRANT = defineSetting({
  name: "SIGIL_PASSWORD_GRANT",
  kind: boolean,
  default: "false",
  meaning:
    "accept grant_type=password at /oauth/token (RFC 9700 §2.4: must not be used; only to migrate apps that still send passwords — new apps use the authorization code flow, first-party apps /auth/login)",
});
export const SIGIL_AUTHORIZATION_CODE_TTL = defineSetting({
  name: "SIGIL_AUTHORIZATION_CODE_TTL",
  kind: duration({ min: 10, max: 10 * MINUTE }),
  default: "60s",
  meaning: "how long an authorization code may wait to be exchanged at /oauth/token (single use either way)",
});
export const SIGIL_BRAND_LOGO_URL = defineSetting({
  name: "SIGIL_BRAND_LOGO_URL",
  kind: custom("an https URL, or a path on this server", parseLogoUrl),
  defaultText: "none (the product name is shown)",
  meaning: "the logo at the top of the hosted pages",
});
export const SIGIL_BRAND_ACCENT_COLOR = defineSetting({
  name: "SIGIL_BRAND_ACCENT_COLOR",
  kind: custom("a hex colour, #rgb or #rrggbb", parseAccentColor),
  default: "#4338ca",
  meaning: "the hosted pages' accent: buttons and links (pick one with 4.5:1 contrast against white text)",
});
export const SIGIL_PASSWORD_MIN_LENGTH = defineSetting({
  name: "SIGIL_PASSWORD_MIN_LENGTH",
  kind: integer({ min: 8, max: 64 }),
  default: "8",
  meaning: "shortest password, in Unicode code points after NFC (NIST SP 800-63B §5.1.1.2)",
});
export const SIGIL_PASSWORD_MAX_LENGTH = defineSetting({
  name: "SIGIL_PASSWORD_MAX_LENGTH",
  kind: integer({ min: 128, max: 1024 }),
  default: "128",
  meaning: "longest password, in Unicode code points after NFC",
});
export const SIGIL_HASH_CONCURRENCY = defineSetting({
  name: "SIGIL_HASH_CONCURRENCY",
  kind: integer({ min: 1, max: 256 }),
  defaultText: "CPU cores − 1 (at least 1)",
  meaning: "password hashes computed at once, each on its own low-priority worker thread (12 MiB each)",
});
export const SIGIL_HASH_QUEUE_LIMIT = defineSetting({
  name: "SIGIL_HASH_QUEUE_LIMIT",
  kind: integer({ min: 0, max: 10_000 }),
  default: "64",
  meaning: "password-hash jobs allowed to wait; beyond it login answers 503 with Retry-After",
});
export const SIGIL_RATE_LIMIT_STORE = defineSetting({
  name: "SIGIL_RATE_LIMIT_STORE",
  kind: choice(["memory", "database"]),
  default: "memory",
  meaning: "where sign-in and registration counters live; database shares them across instances",
});
export const SIGIL_LOGIN_ACCOUNT_FAILURES = defineSetting({
  name: "SIGIL_LOGIN_ACCOUNT_FAILURES",
  kind: integer({ min: 1, max: 100 }),
  default: "5",
  meaning:
    "sign-in attempts per account (or known device) within the window before back-off starts; counted before the password is checked",
});
export const SIGIL_LOGIN_ADDRESS_FAILURES = defineSetting({
  name: "SIGIL_LOGIN_ADDRESS_FAILURES",
  kind: integer({ min: 1, max: 10_000 }),
  default: "20",
  meaning:
    "sign-in attempts per client address within the window before back-off starts; a success gives its attempt back",
});
export const SIGIL_LOGIN_FAILURE_WINDOW = defineSetting({
  name: "SIGIL_LOGIN_FAILURE_WINDOW",
  kind: duration({ min: MINUTE, max: DAY }),
  default: "15m",
  meaning: "attempts older than this are forgotten",
});
export const SIGIL_LOGIN_MAX_BLOCK = defineSetting({
  name: "SIGIL_LOGIN_MAX_BLOCK",
  kind: duration({ min: 1, max: HOUR, why: "a longer block lets an attacker lock a real user out for that long" }),
  default: "15m",
  meaning: "the back-off (1 s, 2 s, 4 s, …) never blocks an account or address longer than this",
});
export const SIGIL_BODY_LIMIT = defineSetting({
  name: "SIGIL_BODY_LIMIT",
  kind: integer({ min: 1024, max: 1_048_576, unit: "bytes" }),
  default: "16384",
  meaning: "larger request bodies are refused with 413",
});
export const SIGIL_LOG_LEVEL = defineSetting({
  name: "SIGIL_LOG_LEVEL",
  kind: choice<LogLevel>(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  default: "info",
  meaning: "pino log level",
});
export const SIGIL_LOG_FORMAT = defineSetting({
  name: "SIGIL_LOG_FORMAT",
  kind: choice(["pretty", "json"]),
  defaultText: "pretty in development, json in production",
  meaning:
    "pretty: one readable line per request or event, for a terminal; json: one object per line, for log shippers",
});
export const SIGIL_TRUST_PROXY = defineSetting({
  name: "SIGIL_TRUST_PROXY",
  kind: custom("false | true | hop count | comma-separated addresses or CIDR ranges", (_name, raw) =>
    parseTrustProxy(raw),
  ),
  default: "false",
  meaning: "whose X-Forwarded-For to believe for the client address (rate limits, sessions list)",
});

/** Every setting, in the order of the docs. */
export const SETTINGS: readonly Setting<unknown>[] = [
  SIGIL_ENV,
  NODE_ENV,
  SIGIL_CONFIG_FILE,
  SIGIL_ISSUER,
  SIGIL_AUDIENCE,
  SIGIL_SERVICE_AUDIENCE,
  SIGIL_HOST,
  SIGIL_PORT,
  PORT,
  DATABASE_URL,
  SIGIL_DATA_DIR,
  SIGIL_ACCESS_TOKEN_TTL,
  SIGIL_REFRESH_ABSOLUTE_TTL,
  SIGIL_REFRESH_IDLE_TTL,
  SIGIL_REFRESH_GRACE_WINDOW,
  SIGIL_CLOCK_TOLERANCE,
  SIGIL_SIGNING_ALG,
  SIGIL_HMAC_SECRET,
  SIGIL_KEY_ENCRYPTION_KEY,
  SIGIL_KEY_ROTATION_INTERVAL,
  SIGIL_JWKS_MAX_AGE,
  SIGIL_FEED_HEARTBEAT,
  SIGIL_FEED_MAX_CONNECTIONS,
  SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT,
  SIGIL_FORWARD_AUTH_COOKIE,
  SIGIL_METRICS_TOKEN,
  SIGIL_METRICS_ADDRESS,
  SIGIL_METRICS_PUBLIC,
  SIGIL_REGISTRATION_ENABLED,
  SIGIL_REGISTRATION_ADDRESS_LIMIT,
  SIGIL_REGISTRATION_LIMIT,
  SIGIL_REGISTRATION_WINDOW,
  SIGIL_ACCOUNT_RECOVERY,
  SIGIL_SMTP_URL,
  SIGIL_MAIL_FROM,
  SIGIL_MAIL_OUTBOX,
  SIGIL_PRODUCT_NAME,
  SIGIL_REQUIRE_VERIFIED_EMAIL,
  SIGIL_VERIFICATION_CODE_TTL,
  SIGIL_PASSWORD_RESET_TTL,
  SIGIL_WEB_ORIGINS,
  SIGIL_HOSTED_PAGES,
  SIGIL_PASSWORD_GRANT,
  SIGIL_AUTHORIZATION_CODE_TTL,
  SIGIL_BRAND_LOGO_URL,
  SIGIL_BRAND_ACCENT_COLOR,
  SIGIL_PASSWORD_MIN_LENGTH,
  SIGIL_PASSWORD_MAX_LENGTH,
  SIGIL_HASH_CONCURRENCY,
  SIGIL_HASH_QUEUE_LIMIT,
  SIGIL_RATE_LIMIT_STORE,
  SIGIL_LOGIN_ACCOUNT_FAILURES,
  SIGIL_LOGIN_ADDRESS_FAILURES,
  SIGIL_LOGIN_FAILURE_WINDOW,
  SIGIL_LOGIN_MAX_BLOCK,
  SIGIL_BODY_LIMIT,
  SIGIL_LOG_LEVEL,
  SIGIL_LOG_FORMAT,
  SIGIL_TRUST_PROXY,
];

const byName = new Map(SETTINGS.map((setting) => [setting.name, setting]));

/** The declared setting of that name; undefined for a name no setting has. */
export function findSetting(name: string): Setting<unknown> | undefined {
  return byName.get(name);
}
