/**
 * The client's error catalogue, in the style of @sigil/jwt's `JWT_ERRORS`: a stable `code` per
 * failure, the `action` an app takes for it and a short secret-free `summary` (the default
 * message). The developer's fix for each code is in `fixes.ts`, kept out of this table so that
 * it stays out of the browser bundle (5 kB budget); docs/errors.md is generated from both.
 *
 * `action` is the whole point of the catalogue: an app needs to know whether to try again later
 * ("retry": the session is still good, the network or the server is not) or to show the sign-in
 * form ("signIn": the session is gone, or there never was one).
 */
export const CLIENT_ERRORS = {
  NETWORK_ERROR: {
    action: "retry",
    summary: "The auth server could not be reached.",
  },
  SERVER_UNAVAILABLE: {
    action: "retry",
    summary: "The auth server is unavailable.",
  },
  RATE_LIMITED: {
    action: "retry",
    summary: "Too many attempts: wait before trying again.",
  },
  BAD_RESPONSE: {
    action: "retry",
    summary: "The auth server's answer could not be read.",
  },
  INVALID_CREDENTIALS: {
    action: "signIn",
    summary: "Wrong email or password.",
  },
  SESSION_ENDED: {
    action: "signIn",
    summary: "The session has ended.",
  },
  NOT_SIGNED_IN: {
    action: "signIn",
    summary: "There is no session to use.",
  },
  REQUEST_REFUSED: {
    action: "signIn",
    summary: "The auth server refused the request.",
  },
} as const satisfies Record<string, { action: ClientErrorAction; summary: string }>;

/** What an app does about a failure: try again later, or have the user sign in. */
export type ClientErrorAction = "retry" | "signIn";

/** A stable, machine-readable failure code of the client. */
export type ClientErrorCode = keyof typeof CLIENT_ERRORS;
