import type { FastifyBaseLogger } from "fastify";
import type { AccountMail, CodeMailDetails } from "../auth/account-mail.js";
import type { ServerConfig } from "../config/config.js";
import { PAGE_PATHS } from "../routes/paths.js";
import type { Mailer, MailMessage } from "./mailer.js";
import {
  emailChangeCodeMessage,
  emailChangeNotice,
  type MailLink,
  mailLink,
  passwordChangedNotice,
  passwordResetMessage,
  registrationAttemptNotice,
  verificationCodeMessage,
} from "./messages/index.js";

/**
 * The account flows' mail (auth/account-mail.ts) through a {@link Mailer}: each decision becomes
 * one of the message builders' messages, with links to the hosted pages when they are served.
 * Sending runs in the background — an answer never waits for the mail server, so its timing
 * cannot tell whether a message went out (the flows answer the same either way) — and a failed
 * send is logged for the operator (never the code). `flush()` waits for what is still queued.
 */
export function createAccountMail(
  mailer: Mailer,
  config: Pick<ServerConfig, "issuer" | "productName" | "hostedPages" | "accountRecovery">,
  options: { logger: Pick<FastifyBaseLogger, "error">; now: () => number },
): AccountMail {
  const pending = new Set<Promise<void>>();
  const product = config.productName;
  const page = (path: string, query?: Record<string, string>): MailLink | undefined =>
    config.hostedPages ? mailLink(config.issuer, path, query) : undefined;
  const withLink = (link: MailLink | undefined) => (link === undefined ? {} : { link });
  const minutesLeft = (details: CodeMailDetails) =>
    Math.max(1, Math.round((details.expiresAt.getTime() - options.now()) / 60_000));

  function send(message: MailMessage): void {
    // With the email flows off (SIGIL_ACCOUNT_RECOVERY=false) the server sends no mail at all.
    if (!config.accountRecovery) return;
    const sending = mailer
      .send(message)
      .catch((error: unknown) => {
        options.logger.error({ err: error, kind: message.kind }, "account mail not sent");
      })
      .finally(() => pending.delete(sending));
    pending.add(sending);
  }

  return {
    verificationCode(to, details) {
      send(
        verificationCodeMessage({
          to,
          product,
          code: details.code,
          expiresInMinutes: minutesLeft(details),
          ...withLink(page(PAGE_PATHS.verifyEmail, { token: details.linkToken })),
        }),
      );
    },
    passwordReset(to, details) {
      send(
        passwordResetMessage({
          to,
          product,
          code: details.code,
          expiresInMinutes: minutesLeft(details),
          ...withLink(page(PAGE_PATHS.resetPassword, { token: details.linkToken })),
        }),
      );
    },
    emailChangeCode(to, details) {
      send(
        emailChangeCodeMessage({
          to,
          product,
          code: details.code,
          expiresInMinutes: minutesLeft(details),
          ...withLink(page(PAGE_PATHS.confirmEmail, { token: details.linkToken })),
        }),
      );
    },
    passwordChanged(to) {
      const resetLink = page(PAGE_PATHS.forgotPassword);
      send(
        passwordChangedNotice({ to, product, changedAt: new Date(options.now()), ...(resetLink ? { resetLink } : {}) }),
      );
    },
    registrationAttempt(to) {
      const signInLink = page(PAGE_PATHS.signIn);
      const resetLink = page(PAGE_PATHS.forgotPassword);
      send(
        registrationAttemptNotice({
          to,
          product,
          ...(signInLink ? { signInLink } : {}),
          ...(resetLink ? { resetLink } : {}),
        }),
      );
    },
    emailChangeNotice(to, { newEmail }) {
      const resetLink = page(PAGE_PATHS.forgotPassword);
      send(
        emailChangeNotice({
          to,
          product,
          newAddress: newEmail,
          requestedAt: new Date(options.now()),
          ...(resetLink ? { resetLink } : {}),
        }),
      );
    },
    async flush() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
