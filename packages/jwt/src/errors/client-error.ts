/**
 * What a client may learn about a rejected token: RFC 6750 §3.1 `invalid_token`, and nothing
 * more. The reason (expired, bad signature, wrong audience, ...) helps an attacker probe the
 * verifier, so it stays in the server's log under the error's code.
 */
export interface ClientTokenError {
  readonly status: 401;
  readonly error: "invalid_token";
  readonly wwwAuthenticate: string;
}

const INVALID_TOKEN: ClientTokenError = Object.freeze({
  status: 401,
  error: "invalid_token",
  wwwAuthenticate: 'Bearer error="invalid_token"',
});

/** The safe client-facing form of any token verification failure. */
export function toClientError(_error: unknown): ClientTokenError {
  return INVALID_TOKEN;
}
