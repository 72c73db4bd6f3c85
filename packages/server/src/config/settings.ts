/**
 * The catalogue of every setting `loadConfig` reads: its name (environment variable, also the
 * key in the optional JSON config file), default, bounds and meaning. docs/configuration.md is
 * checked against it by a test, and `loadConfig` refuses to read a name that is not here, so a
 * new setting cannot ship undocumented.
 */
export interface SettingDoc {
  readonly name: string;
  readonly default: string;
  readonly bounds: string;
  readonly meaning: string;
  /** Never echoed in messages; its value is a secret. */
  readonly secret?: true;
}

export const SETTINGS: readonly SettingDoc[] = [
  {
    name: "SIGIL_ENV",
    default: "development (production when NODE_ENV=production)",
    bounds: "development | production",
    meaning: "production refuses insecure defaults; development runs with them and prints a warning for each",
  },
  {
    name: "NODE_ENV",
    default: "unset",
    bounds: "any",
    meaning: "production here also selects production mode, whatever SIGIL_ENV says",
  },
  {
    name: "SIGIL_CONFIG_FILE",
    default: "unset",
    bounds: "a path",
    meaning: "a JSON file of settings keyed by these names; environment variables take precedence",
  },
  {
    name: "SIGIL_ISSUER",
    default: "http://localhost:<port> in development; required in production",
    bounds: "absolute URL, https unless the host is loopback, no query or fragment",
    meaning: "the iss of every token and the base URL of every endpoint (a trailing slash is removed)",
  },
  {
    name: "SIGIL_AUDIENCE",
    default: "the issuer",
    bounds: "one URI or name, printable ASCII, no spaces",
    meaning: "the aud of access tokens issued to users",
  },
  { name: "SIGIL_HOST", default: "127.0.0.1", bounds: "host name or address", meaning: "the address to listen on" },
  { name: "SIGIL_PORT", default: "3000", bounds: "0 … 65535 (0: any free port)", meaning: "the port to listen on" },
  {
    name: "DATABASE_URL",
    default: "unset (embedded PGlite)",
    bounds: "postgres:// or postgresql:// URL",
    meaning: "a PostgreSQL server to use instead of the embedded database",
    secret: true,
  },
  {
    name: "SIGIL_DATA_DIR",
    default: "./.sigil-data",
    bounds: "a directory path",
    meaning: "where the embedded PGlite database lives (unused with DATABASE_URL)",
  },
  {
    name: "SIGIL_ACCESS_TOKEN_TTL",
    default: "15m",
    bounds: "30s … 1h",
    meaning:
      "lifetime of access tokens; longer is refused because resource servers cannot revoke what they do not check",
  },
  {
    name: "SIGIL_REFRESH_ABSOLUTE_TTL",
    default: "30d",
    bounds: "1h … 365d",
    meaning: "a session ends this long after login, however active",
  },
  {
    name: "SIGIL_REFRESH_IDLE_TTL",
    default: "7d",
    bounds: "5m … SIGIL_REFRESH_ABSOLUTE_TTL",
    meaning: "a session ends after this long without a refresh",
  },
  {
    name: "SIGIL_REFRESH_GRACE_WINDOW",
    default: "10s",
    bounds: "0 … 60s",
    meaning:
      "a just-rotated refresh token may be presented again this long (parallel tabs, retries) without counting as theft",
  },
  {
    name: "SIGIL_CLOCK_TOLERANCE",
    default: "30s",
    bounds: "0 … 5m",
    meaning: "clock skew allowed when checking exp, nbf and iat",
  },
  {
    name: "SIGIL_SIGNING_ALG",
    default: "EdDSA",
    bounds: "EdDSA | ES256 | RS256 | HS256",
    meaning: "the algorithm access tokens are signed with; HS256 is single-service mode and needs SIGIL_HMAC_SECRET",
  },
  {
    name: "SIGIL_HMAC_SECRET",
    default: "unset",
    bounds: ">= 32 random bytes, not a well-known string (`sigil secret` makes one)",
    meaning: "the shared secret of HS256 single-service mode; refused with any other algorithm",
    secret: true,
  },
  {
    name: "SIGIL_KEY_ENCRYPTION_KEY",
    default: "unset: private keys stored unencrypted (development only); required in production",
    bounds: "32 random bytes, base64url (`sigil secret` makes one)",
    meaning: "encrypts private signing keys at rest (AES-256-GCM)",
    secret: true,
  },
  {
    name: "SIGIL_KEY_ROTATION_INTERVAL",
    default: "30d",
    bounds: "1h … 365d, and longer than access TTL + JWKS max-age + clock tolerance",
    meaning: "a new signing key is introduced this often",
  },
  {
    name: "SIGIL_JWKS_MAX_AGE",
    default: "5m",
    bounds: "0 … 1d",
    meaning: "Cache-Control max-age of the JWKS; a new key is published at least this long before it signs",
  },
  {
    name: "SIGIL_FEED_HEARTBEAT",
    default: "5s",
    bounds: "1s … 1m",
    meaning: "interval of heartbeats on the revocation feed; verifiers count a silent feed as stale",
  },
  {
    name: "SIGIL_FORWARD_AUTH_COOKIE",
    default: "unset",
    bounds: "a cookie name",
    meaning: "GET /auth/verify (nginx auth_request, Traefik ForwardAuth) also reads the access token from this cookie",
  },
  {
    name: "SIGIL_METRICS_TOKEN",
    default: "unset: GET /metrics is open (keep the port internal)",
    bounds: ">= 32 random bytes, not a well-known string, Bearer-token characters (`sigil secret` makes one)",
    meaning: "GET /metrics then answers only `Authorization: Bearer <token>` (Prometheus: `authorization.credentials`)",
    secret: true,
  },
  {
    name: "SIGIL_REGISTRATION_ENABLED",
    default: "true",
    bounds: "true | false",
    meaning: "whether POST /auth/register accepts new users",
  },
  {
    name: "SIGIL_PASSWORD_MIN_LENGTH",
    default: "8",
    bounds: "8 … 64",
    meaning: "shortest password, in Unicode code points after NFC (NIST SP 800-63B §5.1.1.2)",
  },
  {
    name: "SIGIL_PASSWORD_MAX_LENGTH",
    default: "128",
    bounds: "128 … 1024",
    meaning: "longest password, in Unicode code points after NFC",
  },
  {
    name: "SIGIL_HASH_CONCURRENCY",
    default: "CPU cores − 1 (at least 1)",
    bounds: "1 … 256",
    meaning: "password hashes computed at once, each on its own low-priority worker thread (12 MiB each)",
  },
  {
    name: "SIGIL_HASH_QUEUE_LIMIT",
    default: "64",
    bounds: "0 … 10000",
    meaning: "password-hash jobs allowed to wait; beyond it login answers 503 with Retry-After",
  },
  {
    name: "SIGIL_RATE_LIMIT_STORE",
    default: "memory",
    bounds: "memory | database",
    meaning: "where failed-login counters live; database shares them across instances",
  },
  {
    name: "SIGIL_LOGIN_ACCOUNT_FAILURES",
    default: "5",
    bounds: "1 … 100",
    meaning: "failed logins per account within the window before back-off starts",
  },
  {
    name: "SIGIL_LOGIN_ADDRESS_FAILURES",
    default: "20",
    bounds: "1 … 10000",
    meaning: "failed logins per client address within the window before back-off starts",
  },
  {
    name: "SIGIL_LOGIN_FAILURE_WINDOW",
    default: "15m",
    bounds: "1m … 1d",
    meaning: "failures older than this are forgotten",
  },
  {
    name: "SIGIL_LOGIN_MAX_BLOCK",
    default: "15m",
    bounds: "1s … 1h",
    meaning: "the back-off (1 s, 2 s, 4 s, …) never blocks an account or address longer than this",
  },
  {
    name: "SIGIL_BODY_LIMIT",
    default: "16384",
    bounds: "1024 … 1048576 bytes",
    meaning: "larger request bodies are refused with 413",
  },
  {
    name: "SIGIL_LOG_LEVEL",
    default: "info",
    bounds: "fatal | error | warn | info | debug | trace | silent",
    meaning: "pino log level",
  },
  {
    name: "SIGIL_TRUST_PROXY",
    default: "false",
    bounds: "false | true | hop count | comma-separated addresses or CIDR ranges",
    meaning: "whose X-Forwarded-For to believe for the client address (rate limits, sessions list)",
  },
];

const byName = new Map(SETTINGS.map((setting) => [setting.name, setting]));

/** The catalogue entry of a setting; throws on a name missing from the catalogue (a programming error). */
export function settingDoc(name: string): SettingDoc {
  const doc = byName.get(name);
  if (!doc) throw new Error(`setting ${name} is read but missing from SETTINGS in src/config/settings.ts`);
  return doc;
}

export function isKnownSetting(name: string): boolean {
  return byName.has(name);
}
