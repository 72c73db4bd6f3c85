import { signJWT } from "@sigil/jwt";
import type { ServerContext } from "../server-context.js";
import type { UserRecord } from "../store/users.js";
import { hasScope } from "./scopes.js";

/** The `typ` of ID tokens: plain "JWT", never the access tokens' "at+jwt" — neither passes for the other. */
export const ID_TOKEN_TYP = "JWT";

export interface IdTokenInput {
  readonly user: Pick<UserRecord, "id" | "email" | "emailVerifiedAt">;
  readonly clientId: string;
  readonly scope: string;
  readonly nonce: string | null;
  readonly authTime: Date;
  /** The browser session the user signed in with: the `sid` of OpenID Connect's logout specs. */
  readonly browserSessionId: string;
}

/**
 * Signs an ID token (OpenID Connect Core §2) with the server's current signing key: iss, sub,
 * aud = the client, exp, iat, auth_time, nonce (when the request had one), amr ["pwd"] (the only
 * way to sign in), sid; and, with the `email` scope, email and email_verified (§5.1). Its lifetime
 * is the access token's: it says who signed in, not for how long they may act.
 */
export function issueIdToken(ctx: Pick<ServerContext, "config" | "keys" | "now">, input: IdTokenInput): string {
  const payload: Record<string, unknown> = {
    iss: ctx.config.issuer,
    sub: input.user.id,
    aud: input.clientId,
    auth_time: Math.floor(input.authTime.getTime() / 1000),
    amr: ["pwd"],
    sid: input.browserSessionId,
  };
  if (input.nonce !== null) payload.nonce = input.nonce;
  if (hasScope(input.scope, "email")) {
    payload.email = input.user.email;
    payload.email_verified = input.user.emailVerifiedAt !== null;
  }
  return signJWT(payload, ctx.keys.signingKey(), {
    expiresIn: ctx.config.accessTokenTtl,
    typ: ID_TOKEN_TYP,
    now: ctx.now,
  });
}
