import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { register } from "../../auth/register.js";
import { resendVerification, verifyEmail } from "../../auth/verify-email.js";
import { PAGE_PATHS } from "../../routes/paths.js";
import { emailField, FIELD_LIMITS, type FormBody, field, passwordField } from "../form-fields.js";
import type { Pages } from "../hosted-pages.js";
import { lifetimeInWords, type PageExtras, withMessage } from "../page-view.js";
import { refusedWith } from "./refusal.js";

/**
 * GET /sign-up, POST /sign-up → "check your email" (the same for a taken address: its owner gets
 * a notice instead of a code) with the form for the code.
 * GET /verify-email[?token=] → the code form, or — from the mail's link — one button that spends
 * the token (a POST: a mail scanner following the link spends nothing).
 * POST /verify-email → verified; POST /verify-email/resend → a new code (same answer for any address).
 */
export function registerSignUpPages(app: FastifyInstance, pages: Pages): void {
  const { context } = pages;
  const codeLifetime = lifetimeInWords(context.config.verificationCodeTtl);

  app.get<{ Querystring: { return_to?: string } }>(PAGE_PATHS.signUp, async (request, reply) => {
    if (request.browserSession) return reply.redirect(pages.path(PAGE_PATHS.account), 303);
    return showSignUp(request, reply, { returnTo: pages.returnTo(request, request.query.return_to) });
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.signUp, async (request, reply) => {
    const email = emailField(request.body);
    const password = passwordField(request.body, "password");
    const returnTo = pages.returnTo(request, field(request.body, "return_to", FIELD_LIMITS.returnTo));
    const values = { email: email ?? "" };
    if (email === undefined || password === undefined) {
      const errors: Record<string, string> = {};
      if (email === undefined) errors.email = "Enter your email address.";
      if (password === undefined) errors.password = "Choose a password.";
      return showSignUp(request, reply, { returnTo, values, errors }, 400);
    }
    try {
      await register(context, { email, password, ip: request.ip });
    } catch (error) {
      const refusal = refusedWith(error, reply);
      return showSignUp(request, reply, withMessage({ returnTo, values }, refusal.message), refusal.status);
    }
    return pages.render(request, reply, "check-email.eta", { title: "Check your email", values, codeLifetime }, 202);
  });

  app.get<{ Querystring: { token?: string } }>(PAGE_PATHS.verifyEmail, async (request, reply) => {
    const token = boundedToken(request.query.token);
    return pages.render(request, reply, "verify-email.eta", { title: "Verify your email", linkToken: token });
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.verifyEmail, async (request, reply) => {
    const token = field(request.body, "token", FIELD_LIMITS.token) || undefined;
    const email = emailField(request.body);
    const code = field(request.body, "code", FIELD_LIMITS.code)?.trim() || undefined;
    const values = { email: email ?? "" };
    if (token === undefined && (email === undefined || code === undefined)) {
      const errors: Record<string, string> = {};
      if (email === undefined) errors.email = "Enter your email address.";
      if (code === undefined) errors.code = "Enter the code from the email.";
      return showVerify(request, reply, { values, errors }, 400);
    }
    try {
      await verifyEmail(context, {
        proof: token !== undefined ? { linkToken: token } : { code: code as string },
        ...(token === undefined ? { email } : {}),
        ip: request.ip,
      });
    } catch (error) {
      const refusal = refusedWith(error, reply);
      // A link that no longer works has no field to fix: say so above the code form.
      const message = token !== undefined ? { text: refusal.message.text } : refusal.message;
      return showVerify(request, reply, withMessage({ values }, message), refusal.status);
    }
    const next = request.browserSession
      ? `${PAGE_PATHS.account}?notice=email_verified`
      : `${PAGE_PATHS.signIn}?notice=email_verified`;
    return reply.redirect(pages.path(next), 303);
  });

  app.post<{ Body: FormBody }>(PAGE_PATHS.resendVerification, async (request, reply) => {
    const email = emailField(request.body);
    if (email === undefined) {
      return showVerify(request, reply, { errors: { email: "Enter your email address." } }, 400);
    }
    try {
      await resendVerification(context, { email, ip: request.ip });
    } catch (error) {
      const refusal = refusedWith(error, reply);
      return showVerify(request, reply, withMessage({ values: { email } }, refusal.message), refusal.status);
    }
    return pages.render(request, reply, "check-email.eta", {
      title: "Check your email",
      values: { email },
      codeLifetime,
    });
  });

  function showSignUp(request: FastifyRequest, reply: FastifyReply, extras: PageExtras, status = 200) {
    return pages.render(
      request,
      reply,
      "sign-up.eta",
      { title: "Create your account", passwordMinLength: context.config.passwordMinLength, ...extras },
      status,
    );
  }

  function showVerify(request: FastifyRequest, reply: FastifyReply, extras: PageExtras, status = 200) {
    return pages.render(request, reply, "verify-email.eta", { title: "Verify your email", ...extras }, status);
  }
}

/** A link's token from the query, if it has a token's shape (anything else is ignored). */
export function boundedToken(raw: unknown): string | undefined {
  return typeof raw === "string" && raw.length > 0 && raw.length <= FIELD_LIMITS.token && /^[\w-]+\.[\w-]+$/.test(raw)
    ? raw
    : undefined;
}
