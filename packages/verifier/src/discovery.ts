import { VerifierError } from "./errors/verifier-error.js";
import { describeError, type FetchFunction, fetchJSONObject } from "./lib/http.js";
import { systemTimers, type TimersLike } from "./lib/timers.js";

/** The members of the authorization server's metadata (RFC 8414 §2) the verifier uses. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly introspection_endpoint?: string;
  /** Sigil's revocation feed (Server-Sent Events). */
  readonly sigil_revocation_feed_endpoint?: string;
}

export interface DiscoveryOptions {
  fetch?: FetchFunction;
  timeoutMs?: number;
  /** Timers of request timeouts and, for {@link keepDiscovering}, of retries (default Node's, unref'd). */
  timers?: TimersLike;
}

/**
 * Where an issuer's metadata may live: RFC 8414 §3.1 inserts the well-known segment between the
 * host and the issuer's path; OpenID Connect Discovery §4 appends it. For an issuer without a
 * path (the usual case) both give `{issuer}/.well-known/...`.
 */
export function metadataURLs(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
  const base = issuer.replace(/\/$/, "");
  const candidates = [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${base}/.well-known/oauth-authorization-server`,
    `${base}/.well-known/openid-configuration`,
  ];
  return [...new Set(candidates)];
}

/**
 * Reads the issuer's metadata (RFC 8414, falling back to OpenID Connect Discovery) and checks
 * that it names exactly the configured issuer (RFC 8414 §3.3): otherwise an attacker able to
 * serve a metadata document could point the verifier at keys of their choosing.
 */
export async function discoverIssuer(issuer: string, options: DiscoveryOptions = {}): Promise<IssuerMetadata> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const failures: string[] = [];
  for (const url of metadataURLs(issuer)) {
    let body: Record<string, unknown>;
    try {
      ({ body } = await fetchJSONObject(url, {
        fetch: fetchFn,
        timeoutMs,
        timers: options.timers,
        code: "DISCOVERY_FAILED",
      }));
    } catch (error) {
      failures.push(describeError(error));
      continue;
    }
    if (body["issuer"] !== issuer) {
      // Not a reason to try the next location: a mismatch is a misconfiguration or an attack.
      throw new VerifierError(
        "DISCOVERY_FAILED",
        `${url} names issuer ${JSON.stringify(body["issuer"])}, expected exactly ${JSON.stringify(issuer)} (RFC 8414 §3.3)`,
        { url },
      );
    }
    const jwksUri = body["jwks_uri"];
    if (typeof jwksUri !== "string") {
      throw new VerifierError("DISCOVERY_FAILED", `${url} has no jwks_uri`, { url });
    }
    return {
      issuer,
      jwks_uri: jwksUri,
      introspection_endpoint: optionalString(body["introspection_endpoint"]),
      sigil_revocation_feed_endpoint: optionalString(body["sigil_revocation_feed_endpoint"]),
    };
  }
  throw new VerifierError("DISCOVERY_FAILED", `no metadata for issuer ${issuer}: ${failures.join("; ")}`);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export interface KeepDiscoveringOptions extends DiscoveryOptions {
  /** Called after each failed attempt (numbered from 0), before waiting for the next. */
  onFailure: (error: unknown, attempt: number) => void;
  /** Cap of the delay between attempts (default 30 s); it starts at 1 s and doubles. */
  maxDelayMs?: number;
}

/** A discovery that retries until it succeeds or is cancelled. */
export interface OngoingDiscovery {
  /** Resolves with the metadata once an attempt succeeds; never rejects (it stays pending if cancelled). */
  readonly metadata: Promise<IssuerMetadata>;
  cancel(): void;
}

/**
 * {@link discoverIssuer}, retried with a capped exponential backoff: a resource service may well
 * start before its auth server. The timers are unref'd so they never keep a process alive.
 */
export function keepDiscovering(issuer: string, options: KeepDiscoveringOptions): OngoingDiscovery {
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const timers = options.timers ?? systemTimers;
  let timer: unknown;
  let cancelled = false;
  const metadata = new Promise<IssuerMetadata>((resolve) => {
    const attempt = (n: number): void => {
      discoverIssuer(issuer, options).then(resolve, (error: unknown) => {
        if (cancelled) return;
        options.onFailure(error, n);
        timer = timers.setTimeout(() => attempt(n + 1), Math.min(maxDelayMs, 1000 * 2 ** n));
      });
    };
    attempt(0);
  });
  return {
    metadata,
    cancel() {
      cancelled = true;
      timers.clearTimeout(timer);
    },
  };
}
