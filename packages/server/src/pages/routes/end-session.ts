import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { logout } from "../../auth/logout.js";
import {
  type LogoutParameters,
  type LogoutRequest,
  LogoutRequestError,
  readLogoutRequest,
} from "../../oidc/end-session.js";
import { PAGE_PATHS } from "../../routes/paths.js";
import { field } from "../form-fields.js";
import type { Pages } from "../hosted-pages.js";

const PARAMETERS = ["id_token_hint", "post_logout_redirect_uri", "client_id", "state"] as const;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0), the discovery document's
 * end_session_endpoint. Ending the browser session ends every app session signed in from it
 * (their `parent_session_id`), each revoked at every verifier through the revocation feed.
 * - GET with a valid id_token_hint: the app proves it holds this user's ID token, so the session
 *   it names ends at once (a page cannot forge that, so there is nothing to confirm).
 * - GET without one, while signed in: a confirmation page (a link alone must not sign anyone out).
 * - Then to the registered post_logout_redirect_uri with `state`, or a "signed out" page.
 */
export function registerEndSessionPages(app: FastifyInstance, pages: Pages): void {
  const { context } = pages;

  app.get<{ Querystring: Record<string, unknown> }>(PAGE_PATHS.oidcLogout, async (request, reply) => {
    const logoutRequest = await readOrRefuse(request, reply, request.query);
    if (logoutRequest === null) return reply;
    if (logoutRequest.hint !== undefined) {
      await logout(context, logoutRequest.hint);
      if (request.browserSession?.principal.sid === logoutRequest.hint.sid) pages.clearSessionCookie(reply);
      request.log.info({ clientId: logoutRequest.client?.id }, "rp-initiated logout: session ended (id_token_hint)");
      return finish(request, reply, logoutRequest);
    }
    if (request.browserSession === null) return finish(request, reply, logoutRequest);
    return pages.render(request, reply, "end-session.eta", {
      title: "Sign out",
      ...(logoutRequest.client ? { clientName: logoutRequest.client.name } : {}),
      request: PARAMETERS.flatMap((name) => {
        const value = request.query[name];
        return typeof value === "string" ? [[name, value] as const] : [];
      }),
    });
  });

  app.post<{ Body: Record<string, string> }>(PAGE_PATHS.oidcLogout, async (request, reply) => {
    const logoutRequest = await readOrRefuse(request, reply, request.body ?? {});
    if (logoutRequest === null) return reply;
    const session = request.browserSession;
    if (session !== null) await logout(context, session.principal);
    pages.clearSessionCookie(reply);
    request.log.info({ clientId: logoutRequest.client?.id }, "rp-initiated logout: session ended (confirmed)");
    return finish(request, reply, logoutRequest);
  });

  async function readOrRefuse(
    request: FastifyRequest,
    reply: FastifyReply,
    source: Record<string, unknown>,
  ): Promise<LogoutRequest | null> {
    const params: { -readonly [K in keyof LogoutParameters]: string } = {};
    for (const name of PARAMETERS) {
      const value = field(source as Record<string, string>, name, 8192);
      if (value !== undefined) params[name] = value;
    }
    try {
      const logoutRequest = await readLogoutRequest(context, params);
      if (logoutRequest.redirect) pages.allowFormRedirect(reply, [new URL(logoutRequest.redirect.uri).origin]);
      return logoutRequest;
    } catch (error) {
      if (!(error instanceof LogoutRequestError)) throw error;
      request.log.warn({ reason: error.reason }, "rp-initiated logout refused");
      await pages.render(
        request,
        reply,
        "message.eta",
        { title: "This sign-out link cannot be used", lines: [error.message] },
        400,
      );
      return null;
    }
  }

  async function finish(
    request: FastifyRequest,
    reply: FastifyReply,
    logoutRequest: LogoutRequest,
  ): Promise<FastifyReply> {
    reply.header("cache-control", "no-store");
    if (logoutRequest.redirect === undefined) {
      request.browserSession = null;
      return pages.render(request, reply, "message.eta", {
        title: "You are signed out",
        lines: ["You have signed out of every app you signed in to here."],
        next: { href: pages.path(PAGE_PATHS.signIn), label: "Sign in again" },
      });
    }
    const url = new URL(logoutRequest.redirect.uri);
    if (logoutRequest.redirect.state !== undefined) url.searchParams.set("state", logoutRequest.redirect.state);
    return reply.redirect(url.href, 303);
  }
}
