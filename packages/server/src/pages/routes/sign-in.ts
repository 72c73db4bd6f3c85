import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAuthError } from "../../auth/auth-error.js";
import { renewBrowserCredential, startBrowserSession } from "../../auth/browser-session.js";
import { authenticatePassword } from "../../auth/login.js";
import { logout } from "../../auth/logout.js";
import { PAGE_PATHS } from "../../routes/paths.js";
import { DEVICE_COOKIE_MAX_AGE_SECONDS } from "../cookies.js";
import { emailField, FIELD_LIMITS, type FormBody, field, passwordField } from "../form-fields.js";
import type { Pages } from "../hosted-pages.js";
import { NOTICES, withMessage } from "../page-view.js";
import { refusedWith } from "./refusal.js";

type Query = { return_to?: string; login_hint?: string; reauthenticate?: string };

/**
 * GET / → the account page, or the sign-in page.
 * GET /sign-in[?return_to=][&login_hint=][&reauthenticate=1] → the form (a signed-in browser
 * goes straight on, unless an app asked for a fresh sign-in: reauthenticate);
 * POST /sign-in → a new browser session (a new cookie: no fixation) and a 303 to return_to or
 * the account page. The answer to a wrong email and to a wrong password is the same.
 * GET /sign-out → a confirmation; POST /sign-out → the session ends everywhere.
 */
export function registerSignInPages(app: FastifyInstance, pages: Pages): void {
  const { context, cookies } = pages;

  app.get(PAGE_PATHS.home, async (request, reply) =>
    reply.redirect(pages.path(request.browserSession ? PAGE_PATHS.account : PAGE_PATHS.signIn), 303),
  );

  app.get<{ Querystring: Query }>(PAGE_PATHS.signIn, async (request, reply) => {
    const returnTo = pages.returnTo(request, request.query.return_to);
    const reauthenticate = request.query.reauthenticate === "1";
    if (request.browserSession && !reauthenticate) {
      return reply.redirect(returnTo ?? pages.path(PAGE_PATHS.account), 303);
    }
    const hint = request.query.login_hint;
    const values = { email: typeof hint === "string" ? hint.slice(0, FIELD_LIMITS.email) : "" };
    return showSignIn(request, reply, {
      returnTo,
      values,
      ...(reauthenticate ? { notice: NOTICES.reauthenticate } : {}),
    });
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.signIn, async (request, reply) => {
    const email = emailField(request.body);
    const password = passwordField(request.body, "password");
    const returnTo = pages.returnTo(request, field(request.body, "return_to", FIELD_LIMITS.returnTo));
    const values = { email: email ?? "" };
    if (email === undefined || password === undefined) {
      const errors: Record<string, string> = {};
      if (email === undefined) errors.email = "Enter your email address.";
      if (password === undefined) errors.password = "Enter your password.";
      return showSignIn(request, reply, { returnTo, values, errors }, 400);
    }
    let user: Awaited<ReturnType<typeof authenticatePassword>>;
    try {
      user = await authenticatePassword(context, {
        email,
        password,
        ip: request.ip,
        deviceCredential: request.cookies[cookies.device],
      });
    } catch (error) {
      const refusal = refusedWith(error, reply);
      const extras = withMessage({ returnTo, values }, refusal.message);
      if (isAuthError(error) && error.code === "email_not_verified") extras.unverifiedEmail = email;
      return showSignIn(request, reply, extras as typeof extras & { returnTo: string | undefined }, refusal.status);
    }
    // The same user signing in again (an app asked for a fresh sign-in) keeps the session and the
    // apps signed in from it, with a new secret; another user ends it: one browser, one session.
    const current = request.browserSession;
    const renewed =
      current && current.principal.sub === user.user.id
        ? await renewBrowserCredential(context, current.session, { reauthenticated: true })
        : null;
    if (current && renewed === null) await logout(context, current.principal);
    const credential =
      renewed ??
      (await startBrowserSession(context, {
        userId: user.user.id,
        userAgent: request.headers["user-agent"] ?? null,
        ip: request.ip,
      }));
    context.metrics.loginsTotal.inc({ outcome: "success" });
    pages.setSessionCookie(reply, credential);
    reply.setCookie(cookies.device, user.deviceCredential, {
      ...cookies.attributes,
      maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
    });
    return reply.redirect(returnTo ?? pages.path(PAGE_PATHS.account), 303);
  });

  app.get(PAGE_PATHS.signOut, async (request, reply) => {
    if (!request.browserSession) return reply.redirect(pages.path(PAGE_PATHS.signIn), 303);
    return pages.render(request, reply, "sign-out.eta", { title: "Sign out" });
  });

  app.post(PAGE_PATHS.signOut, async (request, reply) => {
    if (request.browserSession) await logout(context, request.browserSession.principal);
    pages.clearSessionCookie(reply);
    return reply.redirect(pages.path(`${PAGE_PATHS.signIn}?notice=signed_out`), 303);
  });

  function showSignIn(
    request: FastifyRequest,
    reply: FastifyReply,
    extras: Record<string, unknown> & { returnTo: string | undefined },
    status = 200,
  ) {
    return pages.render(
      request,
      reply,
      "sign-in.eta",
      { title: "Sign in", registrationEnabled: context.config.registrationEnabled, ...extras },
      status,
    );
  }
}
