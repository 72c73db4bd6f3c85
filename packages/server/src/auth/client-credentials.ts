import { type IssuedAccessToken, issueAccessToken } from "./access-token.js";
import type { AuthContext } from "./context.js";

/**
 * A service-to-service token (RFC 6749 §4.4): the client is the subject, no session and no
 * refresh token; its audience is the client's registered one, else SIGIL_SERVICE_AUDIENCE —
 * never the users' audience, so no user endpoint or user API takes it for a user's token. The
 * caller (the token endpoint) has authenticated the client.
 */
export function issueClientCredentialsToken(
  ctx: Pick<AuthContext, "config" | "keys" | "now">,
  client: { id: string; audience: string | null },
  scope: string | undefined,
): IssuedAccessToken {
  return issueAccessToken(ctx, {
    sub: client.id,
    clientId: client.id,
    ...(scope !== undefined ? { scope } : {}),
    audience: client.audience ?? ctx.config.serviceAudience,
  });
}
