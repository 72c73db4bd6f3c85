import type { ClientErrorCode } from "./codes.js";

/**
 * What a developer does about each client error code: the "How to solve" column of
 * docs/errors.md. Not imported by the client itself, so it costs the browser bundle nothing; the
 * type makes a new code without a fix a compile error.
 */
export const CLIENT_ERROR_FIXES: Readonly<Record<ClientErrorCode, string>> = {
  NETWORK_ERROR:
    "Offline, DNS or TLS failure, or a CORS refusal (the browser console names it). The session is kept; try again when the network is back.",
  SERVER_UNAVAILABLE:
    "A 5xx answer (503 when it is overloaded or shutting down). Wait `retryAfterSeconds` when it is set, then try again; the session is kept.",
  RATE_LIMITED:
    "A 429 answer: the auth server's rate_limited (too many failed sign-ins from this account or address). Wait `retryAfterSeconds` before the next attempt; show the user how long.",
  BAD_RESPONSE:
    "The answer was not the JSON the contract promises: a captive portal, a proxy's error page, or a wrong `issuer`. Check the issuer URL; try again later.",
  INVALID_CREDENTIALS:
    "The auth server's invalid_credentials: it does not say which of the two is wrong (so that accounts cannot be discovered); ask the user to try again.",
  SESSION_ENDED:
    "The server refused the refresh token; `keyword` says why (session_revoked, session_expired, refresh_token_reused, unknown_token). Show the sign-in form. refresh_token_reused means a stale copy was replayed after the grace window: the server ended the session as a theft.",
  NOT_SIGNED_IN:
    "No refresh token (cookie mode: the server saw no cookie, `keyword` missing_token; body mode: the store is empty). Sign in first. In cookie mode check that the app and the server share a site and that third-party cookies are not blocked.",
  REQUEST_REFUSED:
    "Another 4xx: `status` and `serverError` say which. A 400 on sign-in usually means a malformed email; a 401 from userinfo after a refresh means the session was ended meanwhile. From signOut() the client stays signed in, because the session may live on at the server: check that the server takes the refresh token (or cookie) at /auth/logout.",
};
