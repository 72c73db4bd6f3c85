/**
 * The scopes of the authorization code flow (OpenID Connect Core §5.4, §11). `openid` makes the
 * request an OpenID Connect one (an ID token is issued); `profile` and `email` choose what
 * /userinfo and the ID token say about the user; `offline_access` asks for a refresh token.
 */
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

export type OidcScope = (typeof OIDC_SCOPES)[number];

/** Words for the consent page: what a client would be allowed. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<OidcScope, string>> = {
  openid: "Know who you are (an identifier for your account)",
  profile: "See your basic profile",
  email: "See your email address",
  offline_access: "Stay signed in while you are away (until you sign out or revoke it)",
};

/**
 * The scopes of a request: space-separated, each known, in the order of OIDC_SCOPES, without
 * duplicates; null when one is unknown (the caller answers invalid_scope).
 */
export function parseScopes(raw: string | undefined): OidcScope[] | null {
  const requested = new Set((raw ?? "").split(" ").filter((scope) => scope !== ""));
  for (const scope of requested) if (!(OIDC_SCOPES as readonly string[]).includes(scope)) return null;
  return OIDC_SCOPES.filter((scope) => requested.has(scope));
}

export function hasScope(scope: string | undefined, wanted: OidcScope): boolean {
  return scope?.split(" ").includes(wanted) ?? false;
}
