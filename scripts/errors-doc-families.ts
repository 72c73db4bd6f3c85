import { EXIT_STATUSES } from "@sigil/cli";
import { CLIENT_ERRORS } from "@sigil/client";
import { CLIENT_ERROR_FIXES } from "@sigil/client/error-fixes";
import { JWT_ERRORS, JWTError, toClientError } from "@sigil/jwt";
import {
  AUTH_ERRORS,
  AUTHORIZATION_ERRORS,
  CONFIG_ERRORS,
  HTTP_ERRORS,
  KEY_ENCRYPTION_ERRORS,
  MAIL_ERRORS,
  OAUTH_ERRORS,
  OAuthError,
  PASSWORD_ERRORS,
} from "@sigil/server";
import type { AccessTokenVerifier, AuthRequirement, VerifierErrorCode } from "@sigil/verifier";
import { createAuthenticator, requireScope, VERIFIER_ERRORS, VerifierError } from "@sigil/verifier";

/**
 * Every error family of Sigil, read from the catalogues and the code itself. Nothing here is
 * prose about a code: a cell the catalogue does not fill stays `undefined` and shows up as a gap
 * in docs/errors.md, so the fix lands in the catalogue (the single source of truth), not here.
 */
export interface ErrorRow {
  code: string;
  /** What the other side sees: an HTTP status and `error`, or a process exit status. */
  status?: string;
  meaning?: string;
  fix?: string;
}

export interface ErrorFamily {
  title: string;
  /** Where the catalogue lives, relative to the repository root. */
  source: string;
  /** Where the family appears and what a client learns (markdown). */
  intro: string;
  /** Heading of the status column, or undefined when the family has none. */
  statusHeading?: string;
  rows: ErrorRow[];
}

function codesOf<T extends object>(record: T): Array<keyof T & string> {
  return Object.keys(record) as Array<keyof T & string>;
}

function jwtFamily(): ErrorFamily {
  const rows = codesOf(JWT_ERRORS).map(
    (code): ErrorRow => ({
      code,
      meaning: JWT_ERRORS[code].summary,
      fix: JWT_ERRORS[code].fix,
    }),
  );
  // The catalogue does not say which codes are token rejections and which are setup mistakes
  // (WEAK_SECRET, KEY_INVALID, OPTIONS_INVALID), so no per-code client answer is claimed here.
  const answer = toClientError(new JWTError("TOKEN_EXPIRED"));
  return {
    title: "Token verification (`@sigil/jwt`)",
    source: "packages/jwt/src/errors/codes.ts",
    intro: `Thrown by \`@sigil/jwt\` as \`JWTError\`; switch on \`err.code\`. \`err.message\` explains the failure to the operator and \`err.fix\` repeats the last column. Over HTTP a rejected token, whatever its code, is answered ${answer.status} \`${answer.error}\` (RFC 6750 §3.1, \`toClientError\`); the code goes to the log.`,
    rows,
  };
}

/**
 * What the verifier's middleware answers for each code, found by asking it: a stand-in verifier
 * throws the code (or the request is shaped to trigger it), and the answer and the logged code
 * are read back. The middleware's mapping is code, not catalogue, so this keeps the doc honest.
 */
async function verifierAnswer(code: VerifierErrorCode): Promise<string> {
  const logged: string[] = [];
  const logger = { warn: (line: string): void => void logged.push(line) };
  // The middleware calls verify() first and verifyAsync() only for an introspectable stale refusal.
  const throwing = {
    verify: (): never => {
      throw new VerifierError(code);
    },
    verifyAsync: (): Promise<never> => Promise.reject(new VerifierError(code)),
  } as unknown as AccessTokenVerifier;
  const unscopedResult = { payload: { sub: "u", scope: "" } };
  const unscoped = {
    verify: () => unscopedResult,
    verifyAsync: () => Promise.resolve(unscopedResult),
  } as unknown as AccessTokenVerifier;
  const required: AuthRequirement = requireScope("docs:read");
  let outcome: Awaited<ReturnType<ReturnType<typeof createAuthenticator>>>;
  if (code === "TOKEN_MISSING") {
    outcome = await createAuthenticator(throwing, { logger })({ authorization: undefined });
  } else if (code === "REQUEST_INVALID") {
    outcome = await createAuthenticator(throwing, { logger })({ authorization: ["Bearer a", "Bearer b"] });
  } else if (code === "INSUFFICIENT_SCOPE") {
    outcome = await createAuthenticator(unscoped, { logger, require: required })({ authorization: ["Bearer a"] });
  } else {
    outcome = await createAuthenticator(throwing, { logger })({ authorization: ["Bearer a"] });
  }
  if (outcome.ok) throw new Error(`the middleware accepted a request failing with ${code}`);
  // The log line is "<status> <code>: ..."; a mismatch means the middleware logs a code the catalogue lacks.
  const loggedCode = logged[0]?.split(" ")[1]?.replace(/:$/, "");
  if (loggedCode !== undefined && loggedCode !== code) {
    throw new Error(`the middleware logs ${loggedCode} for a ${code} failure`);
  }
  const { status, body } = outcome.rejection;
  const error = (JSON.parse(body) as { error?: unknown }).error;
  return `${status} \`${String(error)}\``;
}

async function verifierFamily(): Promise<ErrorFamily> {
  const rows: ErrorRow[] = [];
  for (const code of codesOf(VERIFIER_ERRORS)) {
    const entry = VERIFIER_ERRORS[code];
    rows.push({ code, status: await verifierAnswer(code), meaning: entry.summary, fix: entry.fix });
  }
  return {
    title: "Verifier and middleware (`@sigil/verifier`)",
    source: "packages/verifier/src/errors/codes.ts",
    intro:
      "Thrown by `@sigil/verifier` as `VerifierError` (`err.code`), in addition to the `@sigil/jwt` codes above, which it passes through unchanged. The middleware answers RFC 6750 §3 errors only (the status column, read from the middleware itself, for a code that reaches it) and logs `<status> <code>: <reason>` through its `logger`.",
    statusHeading: "Client sees",
    rows,
  };
}

interface HttpCatalogueEntry {
  readonly status: number;
  readonly error: string;
  readonly description: string;
  readonly fix: string;
}

/** Rows of a server catalogue whose entries carry the HTTP status and public `error` they answer with. */
function httpRows(catalogue: Readonly<Record<string, HttpCatalogueEntry>>): ErrorRow[] {
  return Object.entries(catalogue).map(
    ([code, entry]): ErrorRow => ({
      code,
      status: `${entry.status} \`${entry.error}\``,
      meaning: entry.description,
      fix: entry.fix,
    }),
  );
}

function authFamily(): ErrorFamily {
  return {
    title: "Auth server (`@sigil/server`)",
    source: "packages/server/src/auth/auth-error.ts",
    intro:
      'Thrown inside the server as `AuthError` and answered by its one error handler as `{ "error": …, "error_description": … }` with the status shown: `error` is the public code (an RFC 6749 §5.2 name where one fits), `error_description` the text in the meaning column. The code on the left is what the server logs; a rejected access token\'s precise reason (a `@sigil/jwt` or `@sigil/verifier` code) is logged, never sent.',
    statusHeading: "HTTP status and `error`",
    rows: httpRows(AUTH_ERRORS),
  };
}

function httpFamily(): ErrorFamily {
  return {
    title: "Auth server, HTTP layer (requests that reach no endpoint's logic)",
    source: "packages/server/src/http/http-errors.ts",
    intro:
      'Answered by the server\'s error handler, its health and metrics routes and its shutdown hook, in the same `{ "error": …, "error_description": … }` shape: a body the parsers or schemas refuse, a malformed URL, an unknown path, `/readyz` and `/metrics`, a request during a SIGTERM drain, and the last-resort 500. A schema error\'s `error_description` names the field it is about, never the value sent.',
    statusHeading: "HTTP status and `error`",
    rows: httpRows(HTTP_ERRORS),
  };
}

function oauthFamily(): ErrorFamily {
  // Each catalogue is checked against its code union (or its class's `code`) by `satisfies`: a
  // missing or unknown code fails the typecheck, so the doc cannot fall behind the code.
  const rows = codesOf(OAUTH_ERRORS).map(
    (code): ErrorRow => ({
      code,
      status: String(new OAuthError(code, "").status),
      meaning: OAUTH_ERRORS[code].summary,
      fix: OAUTH_ERRORS[code].fix,
    }),
  );
  return {
    title: "OAuth endpoints (RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7662 §2.3)",
    source: "packages/server/src/clients/oauth-error.ts",
    intro:
      'The OAuth endpoints (token, revocation, introspection and the revocation feed\'s client authentication) answer `{ "error": <code>, "error_description": … }` with these standard codes; the status column is `OAuthError`\'s default. The detailed reason goes to the server log only.',
    statusHeading: "HTTP status",
    rows,
  };
}

function authorizationFamily(): ErrorFamily {
  return {
    title: "Authorization endpoint (OpenID Connect, RFC 6749 §4.1.2.1)",
    source: "packages/server/src/oidc/authorization-error.ts",
    intro:
      "GET /oauth/authorize sends its errors to the client's redirect URI as `error`, `error_description`, `state` and `iss` — once the client and its redirect URI are verified: these, and `invalid_request`, `unauthorized_client` and `invalid_scope` of the table above. Before that (an unknown or disabled client, a redirect_uri it did not register) the person sees a page and the server logs `authorization request refused: client or redirect_uri not verified` with the reason; no redirect happens.",
    rows: codesOf(AUTHORIZATION_ERRORS).map(
      (code): ErrorRow => ({
        code,
        meaning: AUTHORIZATION_ERRORS[code].summary,
        fix: AUTHORIZATION_ERRORS[code].fix,
      }),
    ),
  };
}

function keyEncryptionFamily(): ErrorFamily {
  return {
    title: "Signing keys at rest (`KeyEncryptionError`)",
    source: "packages/server/src/keys/key-encryption.ts",
    intro:
      "Raised while the server opens its stored signing keys with `SIGIL_KEY_ENCRYPTION_KEY`: the server refuses to start, and the message names the setting and the fix. No client ever sees these.",
    rows: codesOf(KEY_ENCRYPTION_ERRORS).map(
      (code): ErrorRow => ({
        code,
        meaning: KEY_ENCRYPTION_ERRORS[code].summary,
        fix: KEY_ENCRYPTION_ERRORS[code].fix,
      }),
    ),
  };
}

function serverInternalFamily(): ErrorFamily {
  const catalogue = { ...CONFIG_ERRORS, ...PASSWORD_ERRORS };
  return {
    title: "Server configuration and password hashing",
    source: "packages/server/src/config/config-error.ts, packages/server/src/passwords/password-errors.ts",
    intro:
      "`ConfigError` stops the server at start with one line, `<SETTING>: <what is wrong>; <how to fix it>`. The password errors are internal: a full hashing queue reaches clients as the auth server's `hash_queue_full`, an unsupported stored hash as a 500 `server_error`.",
    rows: codesOf(catalogue).map(
      (code): ErrorRow => ({ code, meaning: catalogue[code].summary, fix: catalogue[code].fix }),
    ),
  };
}

function mailFamily(): ErrorFamily {
  return {
    title: "Mail (`MailError`)",
    source: "packages/server/src/mail/mail-error.ts",
    intro:
      "Raised by the server's mailer (SMTP, or the development outbox) when a code or a notice cannot be handed over; the flow that sent it decides what its client sees and logs the code. `err.reason` classifies a send failure; the message never holds the recipient, the body or a credential.",
    rows: codesOf(MAIL_ERRORS).map(
      (code): ErrorRow => ({ code, meaning: MAIL_ERRORS[code].summary, fix: MAIL_ERRORS[code].fix }),
    ),
  };
}

function cliFamily(): ErrorFamily {
  return {
    title: "The `sigil` command",
    source: "packages/cli/src/lib/errors.ts",
    intro:
      "The CLI prints one line, `sigil: error: …` (with a hint in parentheses when there is one), and exits with one of these statuses; `sigil verify` prints the `@sigil/jwt` code of a rejected token.",
    statusHeading: "Exit status",
    rows: codesOf(EXIT_STATUSES).map((code): ErrorRow => {
      const entry = EXIT_STATUSES[code];
      return { code, status: String(entry.status), meaning: entry.summary, fix: entry.fix };
    }),
  };
}

function clientFamily(): ErrorFamily {
  return {
    title: "Browser and Node client (`@sigil/client`)",
    source: "packages/client/src/errors/codes.ts, packages/client/src/errors/fixes.ts",
    intro:
      "Thrown by `@sigil/client` as `SigilClientError` (`err.code`); `err.action` (the second column) is what the app does: `retry` keeps the session and tries later, `signIn` shows the sign-in form. The fixes live in a file of their own so that they stay out of the browser bundle.",
    statusHeading: "Action",
    rows: codesOf(CLIENT_ERRORS).map(
      (code): ErrorRow => ({
        code,
        status: `\`${CLIENT_ERRORS[code].action}\``,
        meaning: CLIENT_ERRORS[code].summary,
        fix: CLIENT_ERROR_FIXES[code],
      }),
    ),
  };
}

/** All families, in the order of docs/errors.md. */
export async function collectErrorFamilies(): Promise<ErrorFamily[]> {
  return [
    jwtFamily(),
    await verifierFamily(),
    authFamily(),
    httpFamily(),
    oauthFamily(),
    authorizationFamily(),
    keyEncryptionFamily(),
    serverInternalFamily(),
    mailFamily(),
    cliFamily(),
    clientFamily(),
  ];
}
