import {
  createVerifier as createJWTVerifier,
  isJWTError,
  type VerificationKey,
  type VerificationKeySet,
} from "@sigil/jwt";
import { ACCESS_TOKEN_REQUIRED_CLAIMS, ACCESS_TOKEN_TYP, tokenSubjectOf } from "@sigil/protocol";
import { type IssuerMetadata, keepDiscovering } from "./discovery.js";
import { VerifierError } from "./errors/verifier-error.js";
import { checkTrustedURL, describeError } from "./lib/http.js";
import { defaultLogger } from "./lib/logger.js";
import { invalidOption } from "./lib/options.js";
import { systemTimers } from "./lib/timers.js";
import { createRemoteJWKS, type RemoteJWKS } from "./remote-jwks.js";
import { createRevocationGuard, type RevocationGuard } from "./revocation/guard.js";
import type { AccessTokenVerifier, AccessTokenVerifierOptions, VerifiedAccessToken } from "./verifier-types.js";

const NO_KEYS: readonly VerificationKey[] = Object.freeze([]);

/**
 * Creates the verifier a resource service embeds: tokens are checked locally (no I/O per
 * request) against keys loaded in the background, then against an in-memory mirror of the auth
 * server's revocations.
 *
 * @example
 * const verifier = createAccessTokenVerifier({
 *   issuer: "https://auth.example.com",
 *   audience: "https://api.example.com",
 *   algorithms: ["EdDSA"],
 *   revocation: { clientId: "api", clientSecret: process.env.SIGIL_CLIENT_SECRET! },
 * });
 * await verifier.ready();
 * const { payload } = verifier.verify(token); // throws e.g. code TOKEN_REVOKED
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const now = options.now ?? Date.now;
  const timers = options.timers ?? systemTimers;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const logger = options.logger ?? defaultLogger();
  const allowHttp = options.allowHttp === true;
  if (typeof options.issuer !== "string" || options.issuer === "") throw invalidOption("issuer", "is required");
  checkTrustedURL(options.issuer, { name: "issuer", allowHttp });
  const audience = checkAudience(options.audience);
  const acceptSubject = subjectFilter(options.subjects);
  if (options.keys !== undefined && options.jwksUri !== undefined) {
    throw invalidOption("keys", "give either keys or jwksUri, not both");
  }
  if (options.jwksUri !== undefined) checkTrustedURL(options.jwksUri, { name: "jwksUri", allowHttp });
  const revocation = options.revocation;
  if (revocation === undefined) {
    throw invalidOption(
      "revocation",
      "configure the revocation feed, or pass false to accept tokens until they expire",
    );
  }
  if (revocation !== false) {
    if (typeof revocation.clientId !== "string" || revocation.clientId === "") {
      throw invalidOption("revocation.clientId", "is required (a client registered at the auth server)");
    }
    if (typeof revocation.clientSecret !== "string" || revocation.clientSecret === "") {
      throw invalidOption(
        "revocation.clientSecret",
        "is required; an unset environment variable must not become an empty secret",
      );
    }
    if (revocation.feedUrl !== undefined)
      checkTrustedURL(revocation.feedUrl, { name: "revocation.feedUrl", allowHttp });
  }

  let remote: RemoteJWKS | undefined;
  // Stable for @sigil/jwt while the remote set is created after discovery.
  const deferredKeys: VerificationKeySet = {
    get version() {
      return remote?.version ?? 0;
    },
    find: (kid) => (remote ? remote.find(kid) : NO_KEYS),
  };
  const jwtVerify = createJWTVerifier({
    algorithms: options.algorithms,
    keys: options.keys ?? deferredKeys,
    issuer: options.issuer,
    ...(audience === false ? {} : { audience }),
    typ: options.typ ?? ACCESS_TOKEN_TYP,
    clockTolerance: options.clockTolerance,
    maxTokenAge: options.maxTokenAge,
    requiredClaims: options.requiredClaims ?? ACCESS_TOKEN_REQUIRED_CLAIMS,
    cache: options.cache,
    now,
  });
  const guard: RevocationGuard | undefined =
    revocation === false ? undefined : createRevocationGuard(revocation, { fetch: fetchFn, now, timers, logger });

  const rejections = new Map<string, number>();
  let closed = false;

  /** Checks a URL learnt from the metadata; a refusal is logged, since no caller sees it otherwise. */
  function checkDiscovered(url: string, name: string): void {
    try {
      checkTrustedURL(url, { name, allowHttp });
    } catch (error) {
      logger.warn(`${describeError(error)}: keys or revocations cannot be loaded`);
      throw error;
    }
  }

  function startKeys(jwksUri: string): Promise<void> {
    checkDiscovered(jwksUri, "jwks_uri");
    remote = createRemoteJWKS(jwksUri, {
      ...options.jwks,
      algorithms: options.algorithms,
      fetch: fetchFn,
      now,
      timers,
      onError: (error) => logger.warn(`JWKS: ${error.message}`),
    });
    return remote.ready();
  }

  function startRevocation(metadata: IssuerMetadata | undefined): void {
    if (guard === undefined || revocation === false) return;
    const feedUrl = revocation.feedUrl ?? metadata?.sigil_revocation_feed_endpoint;
    const introspectionEndpoint = revocation.introspection?.endpoint ?? metadata?.introspection_endpoint;
    if (feedUrl === undefined) {
      logger.warn(
        "no revocation feed URL (revocation.feedUrl, or sigil_revocation_feed_endpoint in the issuer metadata): every token is refused",
      );
      return;
    }
    checkDiscovered(feedUrl, "revocation feed URL");
    if (introspectionEndpoint !== undefined) checkDiscovered(introspectionEndpoint, "introspection endpoint");
    guard.start({ feedUrl, introspectionEndpoint });
  }

  const needsDiscovery =
    (options.keys === undefined && options.jwksUri === undefined) ||
    (revocation !== false &&
      (revocation.feedUrl === undefined ||
        (revocation.onStale === "introspect" && revocation.introspection?.endpoint === undefined)));

  // ready() reports the first failure of discovery; the attempts go on in the background.
  let reportFirstFailure: ((error: unknown) => void) | undefined;
  const firstFailure = new Promise<never>((_resolve, rejectReady) => {
    reportFirstFailure = rejectReady;
  });
  firstFailure.catch(() => {});
  const discovery = needsDiscovery
    ? keepDiscovering(options.issuer, {
        fetch: fetchFn,
        timers,
        onFailure(error, attempt) {
          logger.warn(`discovery: ${describeError(error)}`);
          if (attempt === 0) reportFirstFailure?.(error);
        },
      })
    : undefined;

  async function start(): Promise<void> {
    const metadata = await discovery?.metadata;
    if (closed) return;
    startRevocation(metadata);
    const jwksUri = options.jwksUri ?? metadata?.jwks_uri;
    const keysReady = options.keys === undefined && jwksUri !== undefined ? startKeys(jwksUri) : Promise.resolve();
    await Promise.all([keysReady, guard?.ready()]);
  }
  const started = start();
  started.catch(() => {}); // observed through ready()

  /** The error to throw for a refused token, counted by its code: KEY_NOT_FOUND before any key set has loaded is JWKS_UNAVAILABLE. */
  function rejection(error: unknown): unknown {
    let rejected = error;
    if (isJWTError(error, "KEY_NOT_FOUND") && options.keys === undefined && !remote?.loaded) {
      rejected = new VerifierError(
        "JWKS_UNAVAILABLE",
        "no key set loaded yet: the JWKS could not be fetched",
        {},
        error,
      );
    }
    const code = (rejected as { code?: unknown }).code;
    const key = typeof code === "string" ? code : "UNEXPECTED";
    rejections.set(key, (rejections.get(key) ?? 0) + 1);
    return rejected;
  }

  return {
    ready() {
      // Once everything has loaded (perhaps after a failed first attempt), ready() resolves again.
      const keysLoaded = options.keys !== undefined || remote?.loaded === true;
      if (keysLoaded && (guard === undefined || guard.synced)) return Promise.resolve();
      return Promise.race([started, firstFailure]);
    },
    verify(token) {
      try {
        const result = jwtVerify(token) as VerifiedAccessToken;
        acceptSubject(result.payload);
        guard?.check(result.payload);
        return result;
      } catch (error) {
        throw rejection(error);
      }
    },
    verifyAsync(token) {
      try {
        const result = jwtVerify(token) as VerifiedAccessToken;
        acceptSubject(result.payload);
        const pending = guard?.checkOrIntrospect(result.payload, token);
        if (pending === undefined) return Promise.resolve(result);
        return pending.then(
          () => result,
          (error: unknown) => {
            throw rejection(error);
          },
        );
      } catch (error) {
        return Promise.reject(rejection(error));
      }
    },
    stats() {
      const revocationStats = guard?.stats();
      return {
        mirrorFresh: revocationStats?.mirrorFresh ?? false,
        lastHeardAgoMs: revocationStats?.lastHeardAgoMs ?? null,
        revokedSessions: revocationStats?.revokedSessions ?? 0,
        revokedUsers: revocationStats?.revokedUsers ?? 0,
        rejectionsByCode: Object.fromEntries(rejections),
        introspections: revocationStats?.introspections ?? 0,
        jwksVersion:
          remote?.version ??
          (options.keys !== undefined && !Array.isArray(options.keys)
            ? (options.keys as VerificationKeySet).version
            : 0),
        jwksFetches: remote?.fetches ?? 0,
      };
    },
    close() {
      closed = true;
      discovery?.cancel();
      remote?.close();
      guard?.close();
    },
  };
}

/** The configured audience, checked at run time too: JavaScript callers have no types to stop them. */
function checkAudience(
  audience: AccessTokenVerifierOptions["audience"] | undefined,
): string | readonly string[] | false {
  if (audience === false) return false;
  const values = typeof audience === "string" ? [audience] : audience;
  if (
    !Array.isArray(values) ||
    values.length === 0 ||
    values.some((value) => typeof value !== "string" || value === "")
  ) {
    throw invalidOption(
      "audience",
      "is required: this service's identifier, which the token's aud must contain (pass false only if the service truly accepts tokens for any audience)",
    );
  }
  return audience as string | readonly string[];
}

/** A check that throws SUBJECT_NOT_ACCEPTED for a token of a kind the service does not take. */
function subjectFilter(
  subjects: AccessTokenVerifierOptions["subjects"],
): (payload: Readonly<Record<string, unknown>>) => void {
  const accepted = subjects ?? "users";
  if (accepted !== "users" && accepted !== "services" && accepted !== "both") {
    throw invalidOption("subjects", 'must be "users", "services" or "both"');
  }
  return (payload) => {
    const subject = tokenSubjectOf(payload);
    if (subject !== null && (accepted === "both" || accepted === `${subject}s`)) return;
    throw new VerifierError(
      "SUBJECT_NOT_ACCEPTED",
      subject === null
        ? "the token is neither a user's (no sid) nor a service's own (sub is not its client_id)"
        : `a ${subject} token, but this service accepts ${accepted} (option subjects)`,
      { subject },
    );
  };
}
