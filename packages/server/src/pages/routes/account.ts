import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AuthError } from "../../auth/auth-error.js";
import { type BrowserSession, renewBrowserCredential } from "../../auth/browser-session.js";
import { confirmEmailChange, requestEmailChange } from "../../auth/change-email.js";
import { listSessions } from "../../auth/list-sessions.js";
import { endOwnSession, logout, logoutOthers } from "../../auth/logout.js";
import { changePassword } from "../../auth/password.js";
import { listAppAccess, revokeAppAccess } from "../../oidc/app-access.js";
import { PAGE_PATHS } from "../../routes/paths.js";
import { deviceLabel } from "../device-label.js";
import { emailField, FIELD_LIMITS, type FormBody, field, passwordField } from "../form-fields.js";
import type { Pages } from "../hosted-pages.js";
import { lifetimeInWords, type PageExtras, withMessage } from "../page-view.js";
import { refusedWith } from "./refusal.js";
import { boundedToken } from "./sign-up.js";

/**
 * The signed-in user's account page and its forms:
 * GET /account — the address, the live sessions (this device marked), and the forms below;
 * POST /account/sessions/end {session_id} — signs one other session out, at every verifier;
 * POST /account/sessions/end-others — signs every other session out;
 * POST /account/password — changes the password (other sessions end; this one gets a new cookie);
 * POST /account/email — sends a code to the new address and a notice to the current one;
 * GET|POST /confirm-email — completes the change with the code, or the mail's link;
 * POST /account/apps/revoke {client_id} — takes back a third-party app's access (its consent and
 * its sessions).
 */
export function registerAccountPages(app: FastifyInstance, pages: Pages): void {
  const { context } = pages;
  const codeLifetime = lifetimeInWords(context.config.verificationCodeTtl);

  app.get(PAGE_PATHS.account, async (request, reply) => {
    const session = pages.requireSession(request, reply);
    if (!session) return reply;
    return showAccount(request, reply, session, {});
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.endSession, async (request, reply) => {
    const session = pages.requireSession(request, reply);
    if (!session) return reply;
    const id = field(request.body, "session_id", FIELD_LIMITS.id);
    if (id === undefined || id === "")
      return showAccount(request, reply, session, { formError: "Choose a session to sign out." }, 400);
    if (id === session.principal.sid) {
      await logout(context, session.principal);
      pages.clearSessionCookie(reply);
      return reply.redirect(pages.path(`${PAGE_PATHS.signIn}?notice=signed_out`), 303);
    }
    try {
      await endOwnSession(context, session.principal, id);
    } catch (error) {
      if (!(error instanceof AuthError) || error.code !== "session_not_found") throw error;
      // Already gone (ended elsewhere, expired): the list shows what is left.
    }
    return reply.redirect(pages.path(`${PAGE_PATHS.account}?notice=session_ended`), 303);
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.revokeApp, async (request, reply) => {
    const session = pages.requireSession(request, reply);
    if (!session) return reply;
    const clientId = field(request.body, "client_id", FIELD_LIMITS.id);
    if (clientId !== undefined && clientId !== "") await revokeAppAccess(context, session.principal, clientId);
    return reply.redirect(pages.path(`${PAGE_PATHS.account}?notice=app_revoked`), 303);
  });

  app.post(PAGE_PATHS.endOtherSessions, async (request, reply) => {
    const session = pages.requireSession(request, reply);
    if (!session) return reply;
    await logoutOthers(context, session.principal);
    return reply.redirect(pages.path(`${PAGE_PATHS.account}?notice=others_ended`), 303);
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.changePassword, async (request, reply) => {
    const session = pages.requireSession(request, reply);
    if (!session) return reply;
    const currentPassword = passwordField(request.body, "current_password");
    const newPassword = passwordField(request.body, "new_password");
    const errors: Record<string, string> = {};
    if (currentPassword === undefined) errors.current_password = "Enter your current password.";
    if (newPassword === undefined) errors.new_password = "Choose a new password.";
    if (Object.keys(errors).length > 0) return showAccount(request, reply, session, { errors }, 400);
    try {
      await changePassword(context, session.principal, {
        currentPassword: currentPassword as string,
        newPassword: newPassword as string,
        ip: request.ip,
      });
    } catch (error) {
      const refusal = refusedWith(error, reply, { password: "new_password" });
      return showAccount(request, reply, session, withMessage({}, refusal.message), refusal.status);
    }
    await renewCookie(reply, session);
    return reply.redirect(pages.path(`${PAGE_PATHS.account}?notice=password_changed`), 303);
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.changeEmail, async (request, reply) => {
    const session = pages.requireSession(request, reply);
    if (!session) return reply;
    const newEmail = emailField(request.body, "new_email");
    const password = passwordField(request.body, "email_password");
    const values = { new_email: newEmail ?? "" };
    const errors: Record<string, string> = {};
    if (newEmail === undefined) errors.new_email = "Enter the new email address.";
    if (password === undefined) errors.email_password = "Enter your current password.";
    if (Object.keys(errors).length > 0) return showAccount(request, reply, session, { values, errors }, 400);
    try {
      await requestEmailChange(context, session.principal, {
        currentPassword: password as string,
        newEmail: newEmail as string,
        ip: request.ip,
      });
    } catch (error) {
      const refusal = refusedWith(error, reply, { email: "new_email", current_password: "email_password" });
      return showAccount(request, reply, session, withMessage({ values }, refusal.message), refusal.status);
    }
    return showConfirm(request, reply, { values });
  });

  app.get<{ Querystring: { token?: string } }>(PAGE_PATHS.confirmEmail, async (request, reply) => {
    const linkToken = boundedToken(request.query.token);
    if (linkToken === undefined && pages.requireSession(request, reply) === null) return reply;
    return showConfirm(request, reply, { linkToken });
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.confirmEmail, async (request, reply) => {
    const token = boundedToken(field(request.body, "token", FIELD_LIMITS.token));
    const session = request.browserSession;
    const code = field(request.body, "code", FIELD_LIMITS.code)?.trim() || undefined;
    if (token === undefined) {
      // A typed code is the signed-in user's own.
      if (pages.requireSession(request, reply) === null) return reply;
      if (code === undefined)
        return showConfirm(request, reply, { errors: { code: "Enter the code from the email." } }, 400);
    }
    let changed: { userId: string };
    try {
      changed = await confirmEmailChange(context, {
        proof: token !== undefined ? { linkToken: token } : { code: code as string },
        ...(token === undefined && session ? { userId: session.principal.sub } : {}),
        ip: request.ip,
      });
    } catch (error) {
      const refusal = refusedWith(error, reply);
      const message = token !== undefined ? { text: refusal.message.text } : refusal.message;
      return showConfirm(request, reply, withMessage({ linkToken: token }, message), refusal.status);
    }
    if (session && session.principal.sub === changed.userId) {
      await renewCookie(reply, session);
      return reply.redirect(pages.path(`${PAGE_PATHS.account}?notice=email_changed`), 303);
    }
    return reply.redirect(pages.path(`${PAGE_PATHS.signIn}?notice=email_changed`), 303);
  });

  /** A change of credentials: this browser's cookie gets a new secret, a copy of the old one stops working. */
  async function renewCookie(reply: FastifyReply, session: BrowserSession): Promise<void> {
    const credential = await renewBrowserCredential(context, session.session);
    if (credential) pages.setSessionCookie(reply, credential);
    else pages.clearSessionCookie(reply);
  }

  async function showAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    session: BrowserSession,
    extras: PageExtras,
    status = 200,
  ) {
    const now = context.now();
    const sessions = await listSessions(context, session.principal);
    const apps = await listAppAccess(context, session.principal);
    return pages.render(
      request,
      reply,
      "account.eta",
      {
        title: "Your account",
        wide: true,
        passwordMinLength: context.config.passwordMinLength,
        sessions: sessions.map((s) => ({
          id: s.id,
          device: deviceLabel(s.userAgent),
          ip: s.ip,
          created: timeAgo(s.createdAt, now),
          lastUsed: timeAgo(s.lastUsedAt, now),
          current: s.current,
        })),
        apps: apps.map((app) => ({
          clientId: app.clientId,
          name: app.clientName,
          scopes: app.scopes.join(", "),
          granted: timeAgo(app.grantedAt, now),
        })),
        ...extras,
      },
      status,
    );
  }

  function showConfirm(request: FastifyRequest, reply: FastifyReply, extras: PageExtras, status = 200) {
    return pages.render(
      request,
      reply,
      "confirm-email.eta",
      { title: "Confirm your new email", codeLifetime, ...extras },
      status,
    );
  }
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago", then the date. */
export function timeAgo(time: Date, now: number): string {
  const seconds = Math.max(0, Math.round((now - time.getTime()) / 1000));
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "1 minute ago" : `${minutes} minutes ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? "1 hour ago" : `${hours} hours ago`;
  const days = Math.floor(hours / 24);
  if (days < 30) return days === 1 ? "yesterday" : `${days} days ago`;
  return `on ${time.toISOString().slice(0, 10)}`;
}
