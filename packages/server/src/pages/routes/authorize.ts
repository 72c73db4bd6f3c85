import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { BrowserSession } from "../../auth/browser-session.js";
import type { AuthContext } from "../../auth/context.js";
import { issueAuthorizationCode } from "../../oidc/authorization-code.js";
import { AuthorizationError, UnverifiedClientError } from "../../oidc/authorization-error.js";
import {
  type AuthorizationQuery,
  type AuthorizationRequest,
  readAuthorizationRequest,
} from "../../oidc/authorization-request.js";
import { SCOPE_DESCRIPTIONS } from "../../oidc/scopes.js";
import { PAGE_PATHS } from "../../routes/paths.js";
import { findConsentScopes, grantConsent } from "../../store/consents.js";
import type { Pages } from "../hosted-pages.js";

/** Added by this endpoint to the sign-in page's return_to when an app asked for a fresh sign-in. */
const LOGIN_AFTER = "sigil_login_after";

/** The form fields of the consent page that are not the authorization request's own. */
const CONSENT_FIELDS = new Set(["_csrf", "decision"]);

/**
 * GET /oauth/authorize (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2): the authorization code
 * flow's front door, on the hosted pages because it is one — it needs the browser session, the
 * sign-in page and, for a third-party app, a consent page.
 * - A request whose client or redirect URI cannot be verified gets a page, never a redirect.
 * - No session (or prompt=login, or one older than max_age): to the sign-in page and back here;
 *   with prompt=none, `login_required` instead.
 * - A third-party client without remembered consent to every scope asked (or prompt=consent):
 *   the consent page (POST /oauth/authorize); with prompt=none, `consent_required`.
 * - Otherwise a code (authorization-code.ts) on the redirect URI with `state` and `iss` (RFC 9207).
 */
export function registerAuthorizePages(app: FastifyInstance, pages: Pages): void {
  const { context } = pages;

  app.get<{ Querystring: AuthorizationQuery }>(PAGE_PATHS.authorize, async (request, reply) => {
    const authorization = await readOrRefuse(request, reply, request.query);
    if (authorization === null) return reply;
    return continueAuthorization(request, reply, authorization, request.query);
  });

  // The consent page's answer: the request comes back in the form and is checked again in full.
  app.post<{ Body: Record<string, string | string[] | undefined> }>(PAGE_PATHS.authorize, async (request, reply) => {
    const query: AuthorizationQuery = {};
    for (const [name, value] of Object.entries(request.body ?? {})) if (!CONSENT_FIELDS.has(name)) query[name] = value;
    const authorization = await readOrRefuse(request, reply, query);
    if (authorization === null) return reply;
    const session = request.browserSession;
    if (session === null) return continueAuthorization(request, reply, authorization, query);
    if (request.body?.decision !== "allow") {
      request.log.info({ clientId: authorization.client.id }, "authorization: the user declined consent");
      return redirectWithError(
        reply,
        context,
        new AuthorizationError("access_denied", "The user declined.", authorization.target),
      );
    }
    await grantConsent(context.db, {
      userId: session.principal.sub,
      clientId: authorization.client.id,
      scopes: authorization.scopes,
      now: new Date(context.now()),
    });
    return redirectWithCode(reply, context, authorization, session);
  });

  async function readOrRefuse(
    request: FastifyRequest,
    reply: FastifyReply,
    query: AuthorizationQuery,
  ): Promise<AuthorizationRequest | null> {
    try {
      const authorization = await readAuthorizationRequest(context.db, query);
      pages.allowFormRedirect(reply, [new URL(authorization.redirectUri).origin]);
      return authorization;
    } catch (error) {
      if (error instanceof UnverifiedClientError) {
        request.log.warn(
          { reason: error.reason },
          "authorization request refused: client or redirect_uri not verified",
        );
        await pages.render(
          request,
          reply,
          "message.eta",
          { title: "This link cannot be used", lines: [error.message] },
          400,
        );
        return null;
      }
      if (error instanceof AuthorizationError) {
        request.log.info({ error: error.code, description: error.message }, "authorization request refused");
        redirectWithError(reply, context, error);
        return null;
      }
      throw error;
    }
  }

  async function continueAuthorization(
    request: FastifyRequest,
    reply: FastifyReply,
    authorization: AuthorizationRequest,
    query: AuthorizationQuery,
  ): Promise<FastifyReply> {
    const session = request.browserSession;
    const now = context.now();
    const loginAfter = Number(typeof query[LOGIN_AFTER] === "string" ? query[LOGIN_AFTER] : Number.NaN);
    const authTime = session?.session.authenticatedAt.getTime();
    // Signed in since this request sent the user to the sign-in page: fresh, whatever max_age
    // (even 0) says — otherwise max_age=0 would send them back to sign in forever. The client
    // still sees auth_time in the ID token and checks it against its max_age.
    const signedInSinceAsked = authTime !== undefined && !Number.isNaN(loginAfter) && authTime >= loginAfter * 1000;
    const freshEnough =
      signedInSinceAsked ||
      (authTime !== undefined &&
        !authorization.prompt.has("login") &&
        (authorization.maxAge === undefined || now - authTime <= authorization.maxAge * 1000) &&
        Number.isNaN(loginAfter));
    if (session === null || !freshEnough) {
      if (authorization.prompt.has("none")) {
        return redirectWithError(
          reply,
          context,
          new AuthorizationError("login_required", "The user must sign in.", authorization.target),
        );
      }
      return reply.redirect(signInUrl(query, authorization, session !== null, now), 303);
    }
    if (!authorization.client.firstParty) {
      const granted = new Set(await findConsentScopes(context.db, session.principal.sub, authorization.client.id));
      const missing = authorization.scopes.some((scope) => !granted.has(scope));
      if (missing || authorization.prompt.has("consent")) {
        if (authorization.prompt.has("none")) {
          return redirectWithError(
            reply,
            context,
            new AuthorizationError("consent_required", "The user must allow this application.", authorization.target),
          );
        }
        return pages.render(request, reply, "consent.eta", {
          title: `Allow ${authorization.client.name}?`,
          clientName: authorization.client.name,
          scopeLines: authorization.scopes.map((scope) => SCOPE_DESCRIPTIONS[scope]),
          redirectHost: new URL(authorization.redirectUri).host,
          request: Object.entries(query).filter(
            (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "prompt",
          ),
        });
      }
    }
    return redirectWithCode(reply, context, authorization, session);
  }

  /**
   * The sign-in page, returning to this request. The way back drops prompt=login and records when
   * the sign-in was asked for instead, so that the return after signing in is not sent to sign in
   * again (by prompt=login or max_age); a browser already signed in is asked to sign in again.
   */
  function signInUrl(
    query: AuthorizationQuery,
    authorization: AuthorizationRequest,
    signedIn: boolean,
    now: number,
  ): string {
    const back = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (typeof value !== "string" || name === LOGIN_AFTER) continue;
      if (name === "prompt") {
        const rest = value.split(" ").filter((word) => word !== "" && word !== "login");
        if (rest.length > 0) back.set(name, rest.join(" "));
        continue;
      }
      back.set(name, value);
    }
    back.set(LOGIN_AFTER, String(Math.floor(now / 1000)));
    const signIn = new URLSearchParams({ return_to: `${pages.path(PAGE_PATHS.authorize)}?${back.toString()}` });
    if (authorization.loginHint !== undefined) signIn.set("login_hint", authorization.loginHint);
    if (signedIn) signIn.set("reauthenticate", "1");
    return pages.path(`${PAGE_PATHS.signIn}?${signIn.toString()}`);
  }
}

async function redirectWithCode(
  reply: FastifyReply,
  context: AuthContext,
  authorization: AuthorizationRequest,
  session: BrowserSession,
): Promise<FastifyReply> {
  const code = await issueAuthorizationCode(context, {
    request: authorization,
    userId: session.principal.sub,
    browserSessionId: session.principal.sid,
    authTime: session.session.authenticatedAt,
  });
  return redirectTo(reply, context, authorization.target, { code });
}

function redirectWithError(reply: FastifyReply, context: AuthContext, error: AuthorizationError): FastifyReply {
  return redirectTo(reply, context, error.target, { error: error.code, error_description: error.message });
}

/** The redirect URI (its own query kept) with the answer, `state` and `iss` (RFC 9207) added. */
function redirectTo(
  reply: FastifyReply,
  context: AuthContext,
  target: AuthorizationError["target"],
  answer: Record<string, string>,
): FastifyReply {
  const url = new URL(target.redirectUri);
  for (const [name, value] of Object.entries(answer)) url.searchParams.set(name, value);
  if (target.state !== undefined) url.searchParams.set("state", target.state);
  url.searchParams.set("iss", context.config.issuer);
  reply.header("cache-control", "no-store");
  return reply.redirect(url.href, 303);
}

/**
 * The origin a page's form may end up redirected to when its return_to is an authorization
 * request (the sign-in form → /oauth/authorize → the client's redirect URI: Chrome checks every
 * hop of a form's redirects against form-action). Undefined unless the client and redirect URI
 * check out.
 */
export async function authorizeReturnOrigin(
  context: AuthContext,
  authorizePath: string,
  returnTo: string | undefined,
): Promise<string | undefined> {
  if (returnTo === undefined || !returnTo.startsWith(`${authorizePath}?`)) return undefined;
  const params = new URLSearchParams(returnTo.slice(authorizePath.length + 1));
  const query: AuthorizationQuery = {};
  for (const [name, value] of params) query[name] = name in query ? [String(query[name]), value] : value;
  try {
    const authorization = await readAuthorizationRequest(context.db, query);
    return new URL(authorization.redirectUri).origin;
  } catch (error) {
    if (error instanceof AuthorizationError) return new URL(error.target.redirectUri).origin;
    return undefined;
  }
}
