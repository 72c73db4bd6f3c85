import type { ServerSigningAlg } from "@sigil/protocol";

export type { ServerSigningAlg };

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Failed-login rate limiting (src/abuse/). All durations in seconds. */
export interface RateLimitConfig {
  /** "memory": this process only; "database": shared by every instance on the same database. */
  readonly store: "memory" | "database";
  /** Failures per account (normalized email) within a window before back-off starts. */
  readonly accountFreeFailures: number;
  /** Failures per client address within a window before back-off starts. */
  readonly addressFreeFailures: number;
  /** The counting window: a key with no failure for this long starts afresh. */
  readonly windowSeconds: number;
  /** The longest a key is ever blocked, so an attacker cannot lock a real user out for long. */
  readonly maxBlockSeconds: number;
}

/** An address with an optional display name, as in `Sigil <no-reply@example.com>`. */
export interface MailAddress {
  readonly name?: string;
  readonly address: string;
}

/** The mail server of SIGIL_SMTP_URL. */
export interface SmtpServer {
  readonly host: string;
  readonly port: number;
  /** smtps://: TLS from the first byte; else a plain connection upgraded with STARTTLS. */
  readonly secure: boolean;
  /** Refuse to send unless STARTTLS succeeds: production, unless the host is loopback. */
  readonly requireTLS: boolean;
  /** Never logged or echoed. */
  readonly auth?: { readonly user: string; readonly pass: string };
}

/**
 * Where mail goes (src/mail/): to an SMTP server; in development without one, into an outbox
 * directory of .eml files; nowhere in production with account recovery turned off.
 */
export type MailConfig =
  | { readonly transport: "smtp"; readonly smtp: SmtpServer; readonly from: MailAddress }
  | { readonly transport: "outbox"; readonly directory: string; readonly from: MailAddress }
  | { readonly transport: "none" };

/**
 * The validated configuration of `sigil serve`, from {@link loadConfig}. Durations are whole
 * seconds. Optional members are absent (never empty strings) when not configured.
 */
export interface ServerConfig {
  readonly env: "development" | "production";
  /** True in development mode: insecure defaults allowed, each listed in `warnings`. */
  readonly devMode: boolean;
  /** The `iss` of every token and the base of every endpoint URL; no trailing slash. */
  readonly issuer: string;
  /** The `aud` of access tokens for first-party logins; defaults to the issuer. */
  readonly audience: string;
  /** The `aud` of service tokens whose client has no audience of its own; never `audience`. */
  readonly serviceAudience: string;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** A PostgreSQL URL; absent → embedded PGlite in `dataDir`. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly accessTokenTtl: number;
  readonly refreshAbsoluteTtl: number;
  readonly refreshIdleTtl: number;
  readonly refreshGraceSeconds: number;
  readonly clockTolerance: number;
  readonly signingAlg: ServerSigningAlg;
  /** HS256 single-service mode only: the shared secret (UTF-8 bytes of SIGIL_HMAC_SECRET). */
  readonly hmacSecret?: Buffer;
  /** 32 bytes: encrypts private signing keys at rest (AES-256-GCM). Absent only in development. */
  readonly keyEncryptionKey?: Buffer;
  readonly keyRotationInterval: number;
  readonly jwksMaxAge: number;
  readonly registrationEnabled: boolean;
  /** Whether the email flows run: verification codes, password reset, account notices. */
  readonly accountRecovery: boolean;
  /** The product's name in mail and pages (SIGIL_PRODUCT_NAME). */
  readonly productName: string;
  readonly mail: MailConfig;
  /** Registration quotas per client address and overall, per window (seconds). */
  readonly registrationLimits: {
    readonly perAddress: number;
    readonly overall: number;
    readonly windowSeconds: number;
  };
  /** An account must verify its email address before it can sign in. */
  readonly requireVerifiedEmail: boolean;
  /** Seconds a code verifying an address stays usable. */
  readonly verificationCodeTtl: number;
  /** Seconds a password-reset code stays usable. */
  readonly passwordResetTtl: number;
  /** Origins of the web apps allowed to use Sigil from the browser (return_to, cookie mode). */
  readonly webOrigins: readonly string[];
  /** Serve the hosted sign-in and account pages. */
  readonly hostedPages: boolean;
  /** grant_type=password at /oauth/token (off by default: RFC 9700 §2.4). */
  readonly passwordGrant: boolean;
  /** Seconds an authorization code stays exchangeable. */
  readonly authorizationCodeTtl: number;
  /** The hosted pages' look. */
  readonly brand: { readonly logoUrl?: string; readonly accentColor: string };
  /** In Unicode code points, after NFC. */
  readonly passwordMinLength: number;
  readonly passwordMaxLength: number;
  /** Password hashes computed at once, each on its own worker thread. */
  readonly hashConcurrency: number;
  /** Hash jobs allowed to wait; beyond it logins get 503 + Retry-After. */
  readonly hashQueueLimit: number;
  readonly rateLimit: RateLimitConfig;
  /** Seconds between heartbeats on the revocation feed (verifiers measure staleness by them). */
  readonly feedHeartbeatSeconds: number;
  /** Revocation-feed subscribers allowed at once, in total and per client. */
  readonly feedMaxConnections: number;
  readonly feedMaxConnectionsPerClient: number;
  /** GET /auth/verify also reads the access token from this cookie. */
  readonly forwardAuthCookie?: string;
  /** When set, GET /metrics needs it as a Bearer token; unset, /metrics is open. */
  readonly metricsToken?: string;
  /** When set, GET /metrics is served only on this listener of its own. */
  readonly metricsAddress?: { readonly host: string; readonly port: number };
  /** Request body limit in bytes (larger → 413). */
  readonly bodyLimit: number;
  readonly logLevel: LogLevel;
  /** `pretty`: one readable line per event (development default); `json`: one object per line (production default). */
  readonly logFormat: "pretty" | "json";
  /** Fastify's trustProxy: false, true, a hop count, or a list of addresses / CIDR ranges. */
  readonly trustProxy: boolean | number | readonly string[];
  /** Insecure defaults still in force, one sentence each (printed at start). */
  readonly warnings: readonly string[];
}
