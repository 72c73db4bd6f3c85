// The part the two web apps share: a confidential OpenID Connect client (panva's openid-client:
// discovery, PKCE, state, nonce, the code exchange with ID-token validation, refresh,
// RP-initiated logout) with a server-side session, and the pages. Framework-free: the bank mounts
// it on Fastify, the retirement system on Express (each in a few lines).
import { join } from "node:path";
import * as oidc from "openid-client";
import type { ClientCredentials, ExampleConfig } from "./config.js";
import { page, signedInPage, signedOutPage } from "./pages.js";
import { type SessionStore, type SessionTokens, SessionStore as Store } from "./session-store.js";

export interface WebAppOptions {
  /** `banking` or `retirement`: names its cookie, its session file and its log lines. */
  name: string;
  /** What the pages call the app. */
  title: string;
  /** This app's origin, e.g. http://127.0.0.1:4001. */
  url: string;
  /** Its own API, called with the session's access token on every page view. */
  apiUrl: string;
  /** The API's answer as HTML (every value escaped). */
  describe: (body: Record<string, unknown>) => string;
  /** The other app, linked from the pages. */
  other: { title: string; url: string };
  credentials: ClientCredentials;
  config: ExampleConfig;
}

/** An answer, for the framework to send as it is. */
export interface WebReply {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie values. */
  cookies: string[];
  body: string;
}

/** The request as far as the app cares: its Cookie header, URL, and for a POST its Origin. */
export interface WebRequest {
  cookie: string | undefined;
  /** Path and query, as received. */
  url: string;
  origin?: string | undefined;
}

export interface WebApp {
  /** GET /: the user's data from the API when signed in, a sign-in button otherwise. */
  home(request: WebRequest): Promise<WebReply>;
  /** GET /sign-in: to Sigil's authorization endpoint. */
  signIn(request: WebRequest): Promise<WebReply>;
  /** GET /callback: back from Sigil with a code (or an error). */
  callback(request: WebRequest): Promise<WebReply>;
  /** POST /sign-out: ends this app's session, then Sigil's (RP-initiated logout). */
  signOut(request: WebRequest): Promise<WebReply>;
  /** GET /signed-out: where Sigil sends the browser back after logout. */
  signedOut(request: WebRequest): Promise<WebReply>;
}

const SCOPE = "openid email offline_access";
/** Refresh the access token when it has less than this left, rather than send one about to expire. */
const REFRESH_MARGIN_MS = 30_000;

/** Discovers Sigil (the auth server must be up) and opens the app's session store. */
export async function createWebApp(options: WebAppOptions): Promise<WebApp> {
  const { name, title, url, config } = options;
  const cookieName = `${name}_session`;
  const redirectUri = `${url}/callback`;
  const postLogoutRedirectUri = `${url}/signed-out`;
  // client_secret_basic: a confidential client authenticates at the token endpoint (RFC 6749 §2.3.1).
  const client = await oidc.discovery(
    new URL(config.issuer),
    options.credentials.clientId,
    undefined,
    oidc.ClientSecretBasic(options.credentials.clientSecret),
    // Plain http only because the issuer is on loopback (config.ts); never elsewhere.
    { execute: [oidc.allowInsecureRequests] },
  );
  const sessions: SessionStore = await Store.open(join(config.dataDir, `${name}-sessions.json`));
  const log = (line: string): void => console.log(line);
  const view = { title, other: options.other, issuer: config.issuer };

  const reply = (status: number, body: string, extra: Partial<WebReply> = {}): WebReply => ({
    status,
    body,
    cookies: extra.cookies ?? [],
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // Nothing runs in these pages (the icon is an empty data: URL, so the browser asks for no
      // /favicon.ico); forms post here, and sign-out's redirect goes on to Sigil.
      "content-security-policy": `default-src 'none'; img-src data:; form-action 'self' ${config.issuer}; frame-ancestors 'none'; base-uri 'none'`,
      // No Referer to other origins; same-origin keeps the Origin header of our own form posts
      // (no-referrer would make it "null", and signOut checks it).
      "referrer-policy": "same-origin",
      ...extra.headers,
    },
  });
  const redirect = (location: string, cookies: string[] = []): WebReply =>
    reply(303, "", { headers: { location }, cookies });
  // HttpOnly: no script reads it; SameSite=Lax: sent on the top-level redirect back from Sigil,
  // not on another site's POST. A real deployment on https adds Secure and the __Host- prefix.
  const setCookie = (id: string): string => `${cookieName}=${id}; Path=/; HttpOnly; SameSite=Lax`;
  const clearCookie = `${cookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
  const sessionId = (request: WebRequest): string | undefined => readCookie(request.cookie, cookieName);

  /** Tokens from a token response, with the identity its (validated) ID token names. */
  function tokensFrom(
    response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
    previous?: SessionTokens,
  ): SessionTokens {
    const claims = response.claims();
    const sub = claims?.sub ?? previous?.sub;
    const idToken = response.id_token ?? previous?.idToken;
    if (sub === undefined || idToken === undefined) throw new Error("the token response has no ID token");
    return {
      accessToken: response.access_token,
      accessTokenExpiresAt: Date.now() + (response.expiresIn() ?? 0) * 1000,
      refreshToken: response.refresh_token ?? previous?.refreshToken,
      idToken,
      sub,
      email: typeof claims?.["email"] === "string" ? claims["email"] : previous?.email,
    };
  }

  /**
   * A refresh (the refresh token rotates). Returns undefined when Sigil refuses it
   * (invalid_grant: the session was ended — signed out elsewhere, revoked, expired).
   */
  async function refresh(id: string, tokens: SessionTokens): Promise<SessionTokens | undefined> {
    if (tokens.refreshToken === undefined) return undefined;
    try {
      const next = tokensFrom(await oidc.refreshTokenGrant(client, tokens.refreshToken), tokens);
      await sessions.updateTokens(id, next);
      return next;
    } catch (error) {
      if (error instanceof oidc.ResponseBodyError && error.error === "invalid_grant") return undefined;
      throw error;
    }
  }

  async function callApi(accessToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(options.apiUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The session ended at Sigil: forget it here too, and say so. */
  async function endedElsewhere(id: string, why: string): Promise<WebReply> {
    await sessions.delete(id);
    log(`session ended elsewhere (${why}): signed out here too`);
    return reply(
      200,
      signedOutPage(view, "Your session has ended: you signed out in another app, or it was revoked."),
      { cookies: [clearCookie] },
    );
  }

  return {
    async home(request) {
      const id = sessionId(request);
      let tokens = sessions.get(id)?.tokens;
      if (id === undefined || tokens === undefined) return reply(200, signedOutPage(view));
      try {
        if (tokens.accessTokenExpiresAt - Date.now() < REFRESH_MARGIN_MS) {
          tokens = await refresh(id, tokens);
          if (tokens === undefined) return endedElsewhere(id, "refresh refused: invalid_grant");
        }
        let answer = await callApi(tokens.accessToken);
        if (answer.status === 401) {
          // Expired or revoked: only Sigil can tell. A refresh succeeds only if the session lives on.
          const error = String(answer.body["error"]);
          tokens = await refresh(id, tokens);
          if (tokens === undefined) {
            return endedElsewhere(id, `the API answered 401 ${error}, refresh refused: invalid_grant`);
          }
          answer = await callApi(tokens.accessToken);
        }
        if (answer.status === 200) {
          const data = options.describe(answer.body);
          return reply(200, signedInPage(view, { email: tokens.email ?? tokens.sub, data }));
        }
        log(`the API answered ${answer.status}`);
      } catch (error) {
        // Sigil unreachable (the refresh got no answer): keep the session, for when it is back.
        log(`cannot reach the auth server or the API: ${(error as Error).message}`);
      }
      return reply(503, page(view, "Please try again shortly", "<p>This page cannot be shown right now.</p>"));
    },

    async signIn(request) {
      if (sessions.get(sessionId(request))?.tokens !== undefined) return redirect("/");
      // PKCE (RFC 7636, S256), state (CSRF on the callback) and nonce (binds the ID token to
      // this browser's request), all kept server-side until the callback.
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const pending = { codeVerifier, state: oidc.randomState(), nonce: oidc.randomNonce() };
      const id = await sessions.startSignIn(pending);
      const authorizationUrl = oidc.buildAuthorizationUrl(client, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
      });
      return redirect(authorizationUrl.href, [setCookie(id)]);
    },

    async callback(request) {
      const id = sessionId(request);
      const pending = sessions.get(id)?.pending;
      if (id === undefined || pending === undefined) {
        return reply(400, signedOutPage(view, "That sign-in link has expired or was already used. Sign in again."));
      }
      let tokens: SessionTokens;
      try {
        // Checks state, the issuer (RFC 9207 iss), the code exchange with the PKCE verifier and
        // client secret, then the ID token: signature, iss, aud, exp, nonce.
        const response = await oidc.authorizationCodeGrant(client, new URL(request.url, url), {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        tokens = tokensFrom(response);
      } catch (error) {
        await sessions.delete(id);
        const reason = error instanceof oidc.AuthorizationResponseError ? error.error : "refused";
        log(`sign-in failed: ${reason}`);
        const text = reason === "access_denied" ? "You did not allow the sign-in." : `The sign-in failed (${reason}).`;
        return reply(400, signedOutPage(view, text), { cookies: [clearCookie] });
      }
      const signedInId = await sessions.signedIn(id, tokens);
      log(`signed in: ${tokens.email ?? tokens.sub}`);
      return redirect("/", [setCookie(signedInId)]);
    },

    async signOut(request) {
      // A form of another origin must not sign anyone out (the cookie is SameSite=Lax, but
      // another port of the same host is the same site).
      if (request.origin !== undefined && request.origin !== url) return reply(403, page(view, "Forbidden", ""));
      const id = sessionId(request);
      const tokens = sessions.get(id)?.tokens;
      await sessions.delete(id);
      if (tokens === undefined) return redirect("/signed-out", [clearCookie]);
      log("signed out here; on to Sigil's end_session_endpoint (RP-initiated logout)");
      // OpenID Connect RP-Initiated Logout 1.0: Sigil ends the browser session the ID token
      // names, and with it every app session signed in from it, then comes back here.
      const endSession = oidc.buildEndSessionUrl(client, {
        id_token_hint: tokens.idToken,
        post_logout_redirect_uri: postLogoutRedirectUri,
      });
      return redirect(endSession.href, [clearCookie]);
    },

    async signedOut() {
      return reply(200, signedOutPage(view, "You are signed out."));
    },
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=") || undefined;
  }
  return undefined;
}
