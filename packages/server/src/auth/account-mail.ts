/**
 * What the account flows tell a user by mail, as decisions: which message, to whom, with which
 * code and link. How a message is worded and sent is the mail module's (src/mail); the flows
 * only say what happened. Sending never delays an answer (so its time tells nothing) — the
 * implementation queues it and waits for it only on shutdown.
 */
export interface AccountMail {
  /** A code (and link) proving the address receives mail: after sign-up, or on request. */
  verificationCode(to: string, details: CodeMailDetails): void;
  /** A code (and link) to set a new password. */
  passwordReset(to: string, details: CodeMailDetails): void;
  /** The password was changed or reset: if it was not them, what to do. */
  passwordChanged(to: string): void;
  /** Someone tried to sign up with an address that already has an account. */
  registrationAttempt(to: string): void;
  /** A code (and link) confirming a new address, sent to the new address. */
  emailChangeCode(to: string, details: CodeMailDetails): void;
  /** The account's address is being changed, sent to the old address. */
  emailChangeNotice(to: string, details: { newEmail: string }): void;
  /** Waits for every queued message (server shutdown). */
  flush(): Promise<void>;
}

export interface CodeMailDetails {
  /** To type: `XXXX-XXXX`. */
  code: string;
  /** The token of the mail's link (a hosted page that asks for one click before using it). */
  linkToken: string;
  expiresAt: Date;
}
