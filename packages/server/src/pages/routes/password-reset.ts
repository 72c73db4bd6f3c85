import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { forgotPassword, resetPassword } from "../../auth/password-reset.js";
import { PAGE_PATHS } from "../../routes/paths.js";
import { emailField, FIELD_LIMITS, type FormBody, field, passwordField } from "../form-fields.js";
import type { Pages } from "../hosted-pages.js";
import { lifetimeInWords, type PageExtras, withMessage } from "../page-view.js";
import { refusedWith } from "./refusal.js";
import { boundedToken } from "./sign-up.js";

/**
 * GET /forgot-password, POST /forgot-password → the reset form (the same whether or not the
 * address has an account; a code goes out only if it has).
 * GET /reset-password[?token=] → the reset form: email + code, or — from the mail's link — the
 * new password only. POST /reset-password → the password is set, every session of the user
 * ends at every verifier (this browser's too), and the sign-in page says so.
 */
export function registerPasswordResetPages(app: FastifyInstance, pages: Pages): void {
  const { context } = pages;
  const codeLifetime = lifetimeInWords(context.config.passwordResetTtl);

  app.get(PAGE_PATHS.forgotPassword, async (request, reply) =>
    pages.render(request, reply, "forgot-password.eta", { title: "Reset your password" }),
  );

  app.post<{ Body: FormBody }>(PAGE_PATHS.forgotPassword, async (request, reply) => {
    const email = emailField(request.body);
    if (email === undefined) {
      return pages.render(
        request,
        reply,
        "forgot-password.eta",
        { title: "Reset your password", errors: { email: "Enter your email address." } },
        400,
      );
    }
    try {
      await forgotPassword(context, { email, ip: request.ip });
    } catch (error) {
      const refusal = refusedWith(error, reply);
      return pages.render(
        request,
        reply,
        "forgot-password.eta",
        { title: "Reset your password", ...withMessage({ values: { email } }, refusal.message) },
        refusal.status,
      );
    }
    return showReset(request, reply, { values: { email } });
  });

  app.get<{ Querystring: { token?: string } }>(PAGE_PATHS.resetPassword, async (request, reply) =>
    showReset(request, reply, { linkToken: boundedToken(request.query.token) }),
  );

  app.post<{ Body: FormBody }>(PAGE_PATHS.resetPassword, async (request, reply) => {
    const token = boundedToken(field(request.body, "token", FIELD_LIMITS.token));
    const email = emailField(request.body);
    const code = field(request.body, "code", FIELD_LIMITS.code)?.trim() || undefined;
    const newPassword = passwordField(request.body, "new_password");
    const extras: PageExtras = { linkToken: token, values: { email: email ?? "" } };
    const errors: Record<string, string> = {};
    if (token === undefined && email === undefined) errors.email = "Enter your email address.";
    if (token === undefined && code === undefined) errors.code = "Enter the code from the email.";
    if (newPassword === undefined) errors.new_password = "Choose a new password.";
    if (Object.keys(errors).length > 0) return showReset(request, reply, { ...extras, errors }, 400);
    try {
      await resetPassword(context, {
        proof: token !== undefined ? { linkToken: token } : { code: code as string },
        ...(token === undefined ? { email } : {}),
        newPassword: newPassword as string,
        ip: request.ip,
      });
    } catch (error) {
      const refusal = refusedWith(error, reply, { password: "new_password" });
      // A spent link has no field to fix: say so above the form, which then asks for a new code.
      const message =
        token !== undefined && refusal.message.field === "code" ? { text: refusal.message.text } : refusal.message;
      return showReset(request, reply, withMessage(extras, message), refusal.status);
    }
    // The reset ended every session, this browser's included.
    pages.clearSessionCookie(reply);
    return reply.redirect(pages.path(`${PAGE_PATHS.signIn}?notice=password_reset`), 303);
  });

  function showReset(request: FastifyRequest, reply: FastifyReply, extras: PageExtras, status = 200) {
    return pages.render(
      request,
      reply,
      "reset-password.eta",
      {
        title: "Choose a new password",
        codeLifetime,
        passwordMinLength: context.config.passwordMinLength,
        ...extras,
      },
      status,
    );
  }
}
