import {
  type AccessTokenPayload,
  type BearerOptions,
  type BearerSource,
  extractBearer,
  type TokenSubject,
  tokenSubjectOf,
  unverifiedBearer,
} from "@sigil/protocol";
import { isVerifierError } from "../errors/verifier-error.js";
import { defaultLogger, type VerifierLogger } from "../lib/logger.js";
import type { AccessTokenVerifier } from "../verifier-types.js";
import type { AuthRequirement } from "./requirements.js";

/** Options shared by every middleware adapter. */
export interface AuthenticateOptions extends BearerOptions {
  /** Scopes or roles the routes behind this middleware require (403 insufficient_scope otherwise). */
  require?: AuthRequirement | readonly AuthRequirement[];
  /** The `realm` of the WWW-Authenticate challenge (RFC 6750 §3). */
  realm?: string;
  /** Where each rejection's reason and code go (default: one console.warn line, silent under tests). */
  logger?: VerifierLogger;
}

/** Options of a per-route guard. */
export type GuardOptions = Pick<AuthenticateOptions, "realm" | "logger">;

/** What a failed request is answered. The body is an RFC 6750 error and nothing internal. */
export interface Rejection {
  readonly status: 400 | 401 | 403;
  readonly wwwAuthenticate: string;
  readonly body: string;
}

export type AuthOutcome =
  | {
      readonly ok: true;
      readonly claims: AccessTokenPayload;
      /** Whom the token speaks for: a user (it has a session) or a service (client_credentials). */
      readonly subject: TokenSubject;
    }
  | { readonly ok: false; readonly rejection: Rejection };

/** The request facts an adapter hands to the core. */
export interface AuthRequest extends BearerSource {
  method?: string;
  url?: string;
}

export type Authenticator = (request: AuthRequest) => Promise<AuthOutcome>;

/** An authenticator that answers synchronously unless the introspection fallback is needed. */
export type AuthCheck = (request: AuthRequest) => AuthOutcome | Promise<AuthOutcome>;

/** Checks claims already verified by an authenticator against further requirements. */
export type Guard = (claims: AccessTokenPayload | undefined, request: AuthRequest) => AuthOutcome;

/** The fixed answers of one middleware instance, built once. */
interface Answers {
  missing: AuthOutcome;
  invalidToken: AuthOutcome;
  invalidRequest: AuthOutcome;
  insufficient: ReadonlyMap<AuthRequirement, AuthOutcome>;
  log(request: AuthRequest, status: number, code: string, message: string): void;
}

function buildAnswers(options: AuthenticateOptions, requirements: readonly AuthRequirement[]): Answers {
  const logger = options.logger ?? defaultLogger();
  const realm = options.realm === undefined ? "" : `realm=${quote(options.realm)}`;
  const challenge = (params: string): string => `Bearer ${[realm, params].filter(Boolean).join(", ")}`.trimEnd();
  const insufficient = new Map<AuthRequirement, AuthOutcome>();
  for (const requirement of requirements) {
    // RFC 6750 §3: the scope attribute lists the scopes needed; roles have no standard attribute.
    const params =
      requirement.kind === "scope"
        ? `error="insufficient_scope", scope=${quote(requirement.values.join(" "))}`
        : 'error="insufficient_scope"';
    insufficient.set(requirement, fail(403, challenge(params), "insufficient_scope"));
  }
  return {
    missing: fail(401, challenge(""), "unauthorized"),
    invalidToken: fail(401, challenge('error="invalid_token"'), "invalid_token"),
    invalidRequest: fail(400, challenge('error="invalid_request"'), "invalid_request"),
    insufficient,
    log(request, status, code, message) {
      const path = request.url === undefined ? "" : ` ${request.method ?? ""} ${request.url.split("?")[0]}`;
      logger.warn(`${status} ${code}: ${message}${path}`);
    },
  };
}

function toList(require: AuthenticateOptions["require"]): readonly AuthRequirement[] {
  if (require === undefined) return [];
  return Array.isArray(require) ? require : [require as AuthRequirement];
}

function checkRequirements(
  claims: AccessTokenPayload,
  answers: Answers,
  request: AuthRequest,
): AuthOutcome | undefined {
  if (answers.insufficient.size === 0) return undefined;
  for (const [requirement, outcome] of answers.insufficient) {
    if (!requirement.isMetBy(claims)) {
      answers.log(
        request,
        403,
        "INSUFFICIENT_SCOPE",
        `the token lacks ${requirement.kind} ${requirement.values.join(" ")}`,
      );
      return outcome;
    }
  }
  return undefined;
}

/**
 * The one implementation behind every adapter: extract the bearer token (RFC 6750 §2.1), verify
 * it (signature, claims, revocation), check the route's requirements, and turn any failure into
 * an RFC 6750 §3 answer. The reason goes to the logger under its code; the client learns only
 * `invalid_token`, `invalid_request` or `insufficient_scope`.
 */
export function createAuthenticator(verifier: AccessTokenVerifier, options: AuthenticateOptions = {}): Authenticator {
  const check = createAuthCheck(verifier, options);
  return async function authenticate(request: AuthRequest): Promise<AuthOutcome> {
    return check(request);
  };
}

/**
 * What {@link createAuthenticator} does, without a promise on the usual path: `verify()` is
 * synchronous (keys and revocations are in memory), so the adapters answer in the same tick.
 * Only a REVOCATION_STALE refusal that introspection could still overturn (`onStale:
 * "introspect"`) goes on through `verifyAsync()`, which re-checks the token and asks the auth
 * server. Internal to the adapters: not exported from the package.
 */
export function createAuthCheck(verifier: AccessTokenVerifier, options: AuthenticateOptions = {}): AuthCheck {
  const answers = buildAnswers(options, toList(options.require));
  const bearerOptions = { cookie: options.cookie };

  function refuse(error: unknown, request: AuthRequest): AuthOutcome {
    const { code, message } = error as { code?: unknown; message?: unknown };
    answers.log(request, 401, typeof code === "string" ? code : "UNEXPECTED", String(message));
    return answers.invalidToken;
  }

  function refused(error: unknown, token: string, request: AuthRequest): AuthOutcome | Promise<AuthOutcome> {
    if (!isVerifierError(error, "REVOCATION_STALE") || error.details.introspectable !== true) {
      return refuse(error, request);
    }
    return verifier.verifyAsync(token).then(
      ({ payload }) => checkRequirements(payload, answers, request) ?? accepted(payload),
      (asyncError: unknown) => refuse(asyncError, request),
    );
  }

  function classified(request: AuthRequest): AuthOutcome | Promise<AuthOutcome> {
    const found = extractBearer(request, bearerOptions);
    if (found.kind === "missing") return answers.missing;
    if (found.kind === "invalid_request") {
      answers.log(request, 400, "REQUEST_INVALID", found.reason);
      return answers.invalidRequest;
    }
    let claims: AccessTokenPayload;
    try {
      claims = verifier.verify(found.token).payload;
    } catch (error) {
      return refused(error, found.token, request);
    }
    return checkRequirements(claims, answers, request) ?? accepted(claims);
  }

  return function authenticate(request: AuthRequest): AuthOutcome | Promise<AuthOutcome> {
    // The usual request, one `Bearer <JWS>` header: verified first; a token that verifies is a
    // compact JWS, hence a valid b64token. Anything refused is classified as RFC 6750 demands.
    const candidate = unverifiedBearer(request);
    if (candidate === undefined) return classified(request);
    let claims: AccessTokenPayload;
    try {
      claims = verifier.verify(candidate).payload;
    } catch (error) {
      const found = extractBearer(request, bearerOptions);
      if (found.kind !== "token") return classified(request);
      return refused(error, found.token, request);
    }
    return checkRequirements(claims, answers, request) ?? accepted(claims);
  };
}

/**
 * Requirements checked on claims that an authenticator placed on the request earlier in the
 * chain (for per-route guards after an app-wide middleware). Without claims — the middleware did
 * not run, a wiring mistake — the answer is 401, never a pass.
 */
export function createGuard(require: AuthRequirement | readonly AuthRequirement[], options: GuardOptions = {}): Guard {
  const requirements = toList(require);
  if (requirements.length === 0) throw new TypeError("a guard needs at least one requirement");
  const answers = buildAnswers(options, requirements);
  return function guard(claims, request) {
    if (claims === undefined) {
      answers.log(
        request,
        401,
        "TOKEN_MISSING",
        "no verified claims on the request: is the Sigil middleware before this guard?",
      );
      return answers.missing;
    }
    return checkRequirements(claims, answers, request) ?? accepted(claims);
  };
}

/** A request let through; the verifier has already refused tokens of neither kind. */
function accepted(claims: AccessTokenPayload): AuthOutcome {
  return { ok: true, claims, subject: tokenSubjectOf(claims) ?? "user" };
}

function fail(status: 400 | 401 | 403, wwwAuthenticate: string, error: string): AuthOutcome {
  return Object.freeze({
    ok: false as const,
    rejection: Object.freeze({ status, wwwAuthenticate, body: JSON.stringify({ error }) }),
  });
}

/** An RFC 9110 §5.6.4 quoted-string. */
function quote(value: string): string {
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}
