import { createVerifier, decodeJWT } from "@sigil/jwt";
import { accessTokenAlgorithms } from "@sigil/protocol";
import type { AuthContext } from "../auth/context.js";
import { type Client, toClient } from "../clients/client.js";
import { findClient } from "../store/clients.js";
import { ID_TOKEN_TYP } from "./id-token.js";

/** The parameters of RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2). */
export interface LogoutParameters {
  readonly id_token_hint?: string | undefined;
  readonly post_logout_redirect_uri?: string | undefined;
  readonly client_id?: string | undefined;
  readonly state?: string | undefined;
}

/** A checked logout request. */
export interface LogoutRequest {
  /** The ID token's user and browser session, when a valid id_token_hint came with the request. */
  readonly hint: { readonly sub: string; readonly sid: string } | undefined;
  /** The client asking, when it could be told (client_id or the hint's aud). */
  readonly client: Client | undefined;
  /** Where to send the browser afterwards: registered by that client, compared exactly. */
  readonly redirect: { readonly uri: string; readonly state: string | undefined } | undefined;
}

/** A logout request that cannot be honoured as asked; the person gets a page, the log the reason. */
export class LogoutRequestError extends Error {
  override readonly name = "LogoutRequestError";
  readonly reason: string;

  constructor(reason: string) {
    super("The application that sent you here asked to sign you out in a way this server cannot accept.");
    this.reason = reason;
  }
}

/**
 * Checks an RP-initiated logout request. An id_token_hint must be one of this server's ID tokens
 * (signature, issuer, typ) — expired ones too: an app often signs out long after sign-in. A
 * post_logout_redirect_uri is honoured only when it is registered, exactly, by the client the
 * request names (client_id, or the hint's audience; both must agree) — otherwise it would be an
 * open redirect.
 */
export async function readLogoutRequest(ctx: AuthContext, params: LogoutParameters): Promise<LogoutRequest> {
  const hint = params.id_token_hint === undefined ? undefined : verifyIdTokenHint(ctx, params.id_token_hint);
  if (params.client_id !== undefined && hint !== undefined && hint.aud !== params.client_id) {
    throw new LogoutRequestError("client_id differs from the id_token_hint's audience");
  }
  const clientId = params.client_id ?? hint?.aud;
  const row = clientId === undefined || clientId.length > 128 ? null : await findClient(ctx.db, clientId);
  const client = row !== null && row.disabledAt === null ? toClient(row) : undefined;
  let redirect: LogoutRequest["redirect"];
  if (params.post_logout_redirect_uri !== undefined) {
    if (client === undefined) {
      throw new LogoutRequestError("post_logout_redirect_uri without a known client (client_id or id_token_hint)");
    }
    if (!client.postLogoutRedirectUris.includes(params.post_logout_redirect_uri)) {
      throw new LogoutRequestError(
        `post_logout_redirect_uri ${params.post_logout_redirect_uri.slice(0, 300)} is not registered by client ${client.id}`,
      );
    }
    redirect = { uri: params.post_logout_redirect_uri, state: params.state?.slice(0, 2048) };
  }
  return { hint: hint && { sub: hint.sub, sid: hint.sid }, client, redirect };
}

function verifyIdTokenHint(ctx: AuthContext, token: string): { sub: string; sid: string; aud: string } {
  let exp: number;
  try {
    const claimed = decodeJWT(token).payload.exp;
    exp = typeof claimed === "number" ? claimed : 0;
  } catch {
    throw new LogoutRequestError("id_token_hint is not a JWT");
  }
  // Verified as of a moment inside its lifetime: every check but expiry still applies.
  const at = Math.min(ctx.now(), (exp - 1) * 1000);
  const verify = createVerifier({
    algorithms: accessTokenAlgorithms(ctx.config.signingAlg),
    keys: ctx.keys.keyRing,
    issuer: ctx.config.issuer,
    typ: ID_TOKEN_TYP,
    requiredClaims: ["sub", "aud", "sid"],
    cache: false,
    now: () => at,
  });
  try {
    const { payload } = verify(token);
    const { sub, sid, aud } = payload as { sub?: unknown; sid?: unknown; aud?: unknown };
    if (typeof sub !== "string" || typeof sid !== "string" || typeof aud !== "string") {
      throw new LogoutRequestError("id_token_hint lacks sub, sid or a single aud");
    }
    return { sub, sid, aud };
  } catch (error) {
    if (error instanceof LogoutRequestError) throw error;
    throw new LogoutRequestError(`id_token_hint refused: ${(error as { code?: string }).code ?? "invalid"}`);
  }
}
