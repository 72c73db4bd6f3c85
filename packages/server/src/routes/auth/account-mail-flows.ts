import type { FastifyInstance } from "fastify";
import { AuthError } from "../../auth/auth-error.js";
import { confirmEmailChange, requestEmailChange } from "../../auth/change-email.js";
import type { CodeProof } from "../../auth/one-time-codes.js";
import { forgotPassword, resetPassword } from "../../auth/password-reset.js";
import { resendVerification, verifyEmail } from "../../auth/verify-email.js";
import { bearerTokenOf, claimsOf, requireAccessToken } from "../../http/bearer.js";
import {
  CHECK_YOUR_EMAIL,
  checkYourEmailResponse,
  codeField,
  emailField,
  errorResponse,
  linkTokenField,
  passwordField,
} from "../../http/schemas.js";
import { PATHS } from "../paths.js";
import type { AuthRoutes } from "./auth-routes.js";

const schemaOf = (properties: Record<string, unknown>, required: string[], answer?: object) => ({
  body: { type: "object", properties, required, additionalProperties: false },
  response: { ...(answer ? { 202: answer } : {}), "4xx": errorResponse, "5xx": errorResponse },
});

interface ProofBody {
  email?: string;
  code?: string;
  token?: string;
}

/** A code typed with its address, or a link's token — never both, never neither. */
function proofOf(body: ProofBody): CodeProof {
  if (body.token !== undefined && body.code === undefined) return { linkToken: body.token };
  if (body.code !== undefined && body.token === undefined) return { code: body.code };
  throw new AuthError("code_required");
}

/**
 * The account flows that go through the user's mailbox, for apps that draw their own screens
 * (the hosted pages call the same operations):
 * - POST /auth/email/verify {email, code} | {token} → 204
 * - POST /auth/email/verify/resend {email} → 202 {status: "check_your_email"}
 * - POST /auth/password/forgot {email} → 202 {status: "check_your_email"}
 * - POST /auth/password/reset {email, code, new_password} | {token, new_password} → 204; every
 *   session of the user ends, at every verifier
 * - POST /auth/email (Bearer) {current_password, new_email} → 202 {status: "check_your_email"}
 * - POST /auth/email/confirm (Bearer) {code} | {token} → 204
 * A wrong, expired or spent code is 400 invalid_grant `invalid_code`; attempts are throttled like
 * sign-ins (429 + Retry-After).
 */
export function registerAccountMailRoutes(app: FastifyInstance, routes: AuthRoutes): void {
  const { context } = routes;
  app.post<{ Body: ProofBody }>(
    PATHS.verifyEmail,
    { schema: schemaOf({ email: emailField, code: codeField, token: linkTokenField }, []) },
    async function verifyEmailAddress(request, reply) {
      const proof = proofOf(request.body);
      if ("code" in proof && request.body.email === undefined) throw new AuthError("code_required");
      await verifyEmail(context, { proof, email: request.body.email, ip: request.ip });
      return reply.code(204).send();
    },
  );
  app.post<{ Body: { email: string } }>(
    PATHS.resendVerification,
    { schema: schemaOf({ email: emailField }, ["email"], checkYourEmailResponse) },
    async function resendVerificationCode(request, reply) {
      await resendVerification(context, { email: request.body.email, ip: request.ip });
      return reply.code(202).send(CHECK_YOUR_EMAIL);
    },
  );
  app.post<{ Body: { email: string } }>(
    PATHS.forgotPassword,
    { schema: schemaOf({ email: emailField }, ["email"], checkYourEmailResponse) },
    async function askForPasswordReset(request, reply) {
      await forgotPassword(context, { email: request.body.email, ip: request.ip });
      return reply.code(202).send(CHECK_YOUR_EMAIL);
    },
  );
  app.post<{ Body: ProofBody & { new_password: string } }>(
    PATHS.resetPassword,
    {
      schema: schemaOf({ email: emailField, code: codeField, token: linkTokenField, new_password: passwordField }, [
        "new_password",
      ]),
    },
    async function resetForgottenPassword(request, reply) {
      const proof = proofOf(request.body);
      if ("code" in proof && request.body.email === undefined) throw new AuthError("code_required");
      await resetPassword(context, {
        proof,
        email: request.body.email,
        newPassword: request.body.new_password,
        ip: request.ip,
      });
      return reply.code(204).send();
    },
  );
  app.post<{ Body: { current_password: string; new_email: string } }>(
    PATHS.changeEmail,
    {
      preHandler: requireAccessToken(routes.checkAccessToken),
      schema: schemaOf(
        { current_password: passwordField, new_email: emailField },
        ["current_password", "new_email"],
        checkYourEmailResponse,
      ),
    },
    async function askForEmailChange(request, reply) {
      await requestEmailChange(context, claimsOf(request), {
        currentPassword: request.body.current_password,
        newEmail: request.body.new_email,
        ip: request.ip,
      });
      return reply.code(202).send(CHECK_YOUR_EMAIL);
    },
  );
  const bearer = requireAccessToken(routes.checkAccessToken);
  app.post<{ Body: ProofBody }>(
    PATHS.confirmEmail,
    { schema: schemaOf({ code: codeField, token: linkTokenField }, []) },
    async function confirmNewEmail(request, reply) {
      const proof = proofOf(request.body);
      // A typed code is the signed-in user's; a link's token names its own user.
      let userId: string | undefined;
      if ("code" in proof || bearerTokenOf(request) !== null) {
        await bearer(request, reply);
        userId = claimsOf(request).sub;
      }
      await confirmEmailChange(context, { proof, ...(userId !== undefined ? { userId } : {}), ip: request.ip });
      return reply.code(204).send();
    },
  );
}
