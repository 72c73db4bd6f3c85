// Sigil as an OpenID provider, driven by a relying-party library users already have: panva's
// openid-client (discovery, PKCE, ID-token validation, userinfo, refresh, RP-initiated logout),
// with a cookie-keeping HTTP client in the browser's place on the hosted pages (the real-browser
// walks are test/e2e/openid-connect.int.test.ts and examples/sso/sso.int.test.ts). Then every
// refusal the flow owes: wrong PKCE, replayed and expired codes, foreign redirect URIs and
// clients, prompt=none without a session.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as oidc from "openid-client";
import {
  describeEachDatabase,
  startTestServer,
  type TestClient,
  type TestServer,
  type TestUser,
} from "../../src/testing/index.js";
import { PageClient } from "../pages/page-client.js";

const BANK = "http://127.0.0.1:4101";
const RETIREMENT = "http://127.0.0.1:4102";
const insecure = { execute: [oidc.allowInsecureRequests] };

describeEachDatabase("OpenID Connect provider", (getDb) => {
  let server: TestServer;
  let clock = Date.now();
  let bank: TestClient;
  let retirement: TestClient;
  let user: TestUser;
  let bankConfig: oidc.Configuration;
  let retirementConfig: oidc.Configuration;

  before(async () => {
    server = await startTestServer({ database: getDb(), now: () => clock });
    bank = await server.createClient({
      id: `bank-${Math.random().toString(36).slice(2)}`,
      name: "Bank",
      grantTypes: ["authorization_code", "refresh_token"],
      redirectUris: [`${BANK}/callback`],
      postLogoutRedirectUris: [`${BANK}/`],
      firstParty: true,
    });
    retirement = await server.createClient({
      id: `retirement-${Math.random().toString(36).slice(2)}`,
      name: "Retirement Plans Inc.",
      grantTypes: ["authorization_code", "refresh_token"],
      redirectUris: [`${RETIREMENT}/callback`],
      postLogoutRedirectUris: [`${RETIREMENT}/signed-out`],
    });
    user = await server.createUser();
    bankConfig = await oidc.discovery(new URL(server.issuer), bank.client.id, bank.secret ?? "", undefined, insecure);
    retirementConfig = await oidc.discovery(
      new URL(server.issuer),
      retirement.client.id,
      retirement.secret ?? "",
      undefined,
      insecure,
    );
  });
  after(() => server.close());

  /** An authorization request as openid-client builds it, and what it must remember. */
  async function authorizationRequest(
    config: oidc.Configuration,
    redirectUri: string,
    extra: Record<string, string> = {},
  ) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid email offline_access",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
      ...extra,
    });
    return { url, verifier, state, nonce };
  }

  /** Follows the server's redirects in `browser` until one leaves it; signs in when asked to. */
  async function walk(browser: PageClient, start: string, signIn?: TestUser): Promise<string> {
    let answer = await browser.get(start);
    for (let hops = 0; hops < 8; hops++) {
      if (answer.location === null) {
        assert.fail(`the walk stopped at a page (${answer.status}): ${answer.html.slice(0, 300)}`);
      }
      const next = new URL(answer.location, server.url);
      if (next.origin !== new URL(server.url).origin) return next.href;
      if (next.pathname === "/sign-in" && signIn) {
        const returnTo = next.searchParams.get("return_to") ?? "";
        answer = await browser.submit(next.pathname + next.search, "/sign-in", {
          email: signIn.email,
          password: signIn.password,
          return_to: returnTo,
        });
        continue;
      }
      answer = await browser.get(next.href);
    }
    assert.fail("too many redirects");
  }

  test("discovery validates under openid-client, and advertises exactly the code flow with PKCE", () => {
    const metadata = bankConfig.serverMetadata();
    assert.equal(metadata.issuer, server.issuer);
    assert.equal(metadata.authorization_endpoint, `${server.issuer}/oauth/authorize`);
    assert.equal(metadata.end_session_endpoint, `${server.issuer}/oauth/logout`);
    assert.deepEqual(metadata.response_types_supported, ["code"]);
    assert.deepEqual(metadata.code_challenge_methods_supported, ["S256"]);
    assert.deepEqual(metadata.grant_types_supported, ["authorization_code", "refresh_token", "client_credentials"]);
  });

  test("sign in once, single sign-on to a second app (after consent), userinfo, refresh, RP-initiated logout everywhere", async () => {
    const browser = new PageClient(server.url);

    // The bank: no session yet → the sign-in page → back with a code (first party: no consent).
    const first = await authorizationRequest(bankConfig, `${BANK}/callback`);
    const callback = await walk(browser, first.url.href, user);
    assert.equal(new URL(callback).searchParams.get("iss"), server.issuer, "RFC 9207 iss on the response");
    const tokens = await oidc.authorizationCodeGrant(bankConfig, new URL(callback), {
      pkceCodeVerifier: first.verifier,
      expectedState: first.state,
      expectedNonce: first.nonce,
    });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.aud, bank.client.id);
    assert.equal(claims.nonce, first.nonce);
    assert.deepEqual(claims.amr, ["pwd"]);
    assert.equal(typeof claims.auth_time, "number");
    assert.equal(typeof claims.sid, "string");
    assert.equal(claims.email, user.email);
    assert.equal(tokens.scope, "openid email offline_access");
    assert.ok(tokens.refresh_token, "offline_access: a refresh token");
    const info = await oidc.fetchUserInfo(bankConfig, tokens.access_token, user.id);
    assert.deepEqual(info, { sub: user.id, email: user.email, email_verified: true });
    // Neither token passes for the other: the ID token is no bearer token, the access token no hint.
    const asBearer = await server.request("GET", "/userinfo", {
      headers: { authorization: `Bearer ${tokens.id_token}` },
    });
    assert.equal(asBearer.status, 401);
    const asHint = await browser.get(
      `/oauth/logout?${new URLSearchParams({ id_token_hint: tokens.access_token, post_logout_redirect_uri: `${BANK}/` })}`,
    );
    assert.equal(asHint.status, 400);
    assert.equal(asHint.location, null, "refused, and no redirect");

    // The retirement system, same browser: no password, but a consent page (third party).
    const second = await authorizationRequest(retirementConfig, `${RETIREMENT}/callback`);
    const consent = await browser.get(second.url.href);
    assert.equal(consent.status, 200);
    assert.match(consent.html, /Allow Retirement Plans Inc\.\?/);
    assert.match(consent.html, /See your email address/);
    assert.match(
      String(consent.headers.get("content-security-policy")),
      /form-action 'self'[^;]* http:\/\/127\.0\.0\.1:4102/,
      "the consent form may end on the app's redirect URI",
    );
    const fields = Object.fromEntries(
      [...consent.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1],
        (m[2] ?? "").replaceAll("&amp;", "&"),
      ]),
    );
    const allowed = await browser.post("/oauth/authorize", { ...fields, decision: "allow" });
    assert.equal(allowed.status, 303);
    const retirementTokens = await oidc.authorizationCodeGrant(retirementConfig, new URL(allowed.location ?? ""), {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
    });
    assert.equal(retirementTokens.claims()?.sid, claims.sid, "one browser session: one OpenID sid");

    // Remembered: prompt=none now gets a code straight away.
    const silent = await authorizationRequest(retirementConfig, `${RETIREMENT}/callback`, { prompt: "none" });
    const silentCallback = new URL((await browser.get(silent.url.href)).location ?? "");
    assert.ok(silentCallback.searchParams.get("code"), silentCallback.href);

    // Refresh: the client-bound rotation of every Sigil session.
    const refreshed = await oidc.refreshTokenGrant(bankConfig, tokens.refresh_token ?? "");
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    assert.equal((await oidc.fetchUserInfo(bankConfig, refreshed.access_token, user.id)).email, user.email);

    // RP-initiated logout from the bank: the browser session ends, and with it both apps' sessions.
    const logoutUrl = oidc.buildEndSessionUrl(bankConfig, {
      id_token_hint: tokens.id_token ?? "",
      post_logout_redirect_uri: `${BANK}/`,
      state: "bye",
    });
    const loggedOut = await browser.get(logoutUrl.href);
    assert.equal(loggedOut.status, 303);
    assert.equal(loggedOut.location, `${BANK}/?state=bye`);
    for (const [config, access] of [
      [bankConfig, refreshed.access_token],
      [retirementConfig, retirementTokens.access_token],
    ] as const) {
      await assert.rejects(oidc.fetchUserInfo(config, access, user.id), "the access token is refused at once");
    }
    await assert.rejects(oidc.refreshTokenGrant(retirementConfig, retirementTokens.refresh_token ?? ""), {
      error: "invalid_grant",
    });
    const account = await browser.get("/account");
    assert.equal(account.status, 303, "the browser is signed out too");
  });

  test("a replayed code is refused and ends the session its first use started; a wrong verifier spends the code", async () => {
    const browser = new PageClient(server.url);
    const request = await authorizationRequest(bankConfig, `${BANK}/callback`);
    const callback = new URL(await walk(browser, request.url.href, user));
    const tokens = await oidc.authorizationCodeGrant(bankConfig, callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    await assert.rejects(
      oidc.authorizationCodeGrant(bankConfig, callback, {
        pkceCodeVerifier: request.verifier,
        expectedState: request.state,
        expectedNonce: request.nonce,
      }),
      { error: "invalid_grant" },
    );
    await assert.rejects(
      oidc.fetchUserInfo(bankConfig, tokens.access_token, user.id),
      "the first exchange's tokens end",
    );
    await assert.rejects(oidc.refreshTokenGrant(bankConfig, tokens.refresh_token ?? ""), { error: "invalid_grant" });

    const again = await authorizationRequest(bankConfig, `${BANK}/callback`);
    const code = new URL(await walk(browser, again.url.href));
    await assert.rejects(
      oidc.authorizationCodeGrant(bankConfig, code, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: again.state,
        expectedNonce: again.nonce,
      }),
      { error: "invalid_grant" },
    );
    await assert.rejects(
      oidc.authorizationCodeGrant(bankConfig, code, {
        pkceCodeVerifier: again.verifier,
        expectedState: again.state,
        expectedNonce: again.nonce,
      }),
      { error: "invalid_grant" },
      "a guess spends the code: the right verifier afterwards is refused too",
    );
  });

  test("state and nonce come back exactly as sent, so the client's checks catch tampering", async () => {
    const browser = new PageClient(server.url);
    const request = await authorizationRequest(bankConfig, `${BANK}/callback`);
    const callback = new URL(await walk(browser, request.url.href, user));
    assert.equal(callback.searchParams.get("state"), request.state);
    await assert.rejects(
      oidc.authorizationCodeGrant(bankConfig, callback, {
        pkceCodeVerifier: request.verifier,
        expectedState: oidc.randomState(),
        expectedNonce: request.nonce,
      }),
      (error: Error) => /"state"/.test(String((error.cause as Error | undefined)?.message)),
    );
    const next = await authorizationRequest(bankConfig, `${BANK}/callback`);
    const nextCallback = new URL(await walk(browser, next.url.href));
    await assert.rejects(
      oidc.authorizationCodeGrant(bankConfig, nextCallback, {
        pkceCodeVerifier: next.verifier,
        expectedState: next.state,
        expectedNonce: oidc.randomNonce(),
      }),
      (error: Error) => /nonce/.test(String((error.cause as Error | undefined)?.message ?? error.message)),
    );
  });

  test("the token endpoint refuses a missing code_verifier and another redirect_uri (and either spends the code)", async () => {
    const browser = new PageClient(server.url);
    for (const fields of [{ code_verifier: undefined }, { redirect_uri: `${BANK}/elsewhere` }]) {
      const request = await authorizationRequest(bankConfig, `${BANK}/callback`);
      const code = new URL(await walk(browser, request.url.href, user)).searchParams.get("code") ?? "";
      const exchange = (extra: Record<string, string | undefined>) => {
        const form: Record<string, string> = {
          grant_type: "authorization_code",
          code,
          redirect_uri: `${BANK}/callback`,
        };
        form.code_verifier = request.verifier;
        for (const [name, value] of Object.entries(extra)) {
          if (value === undefined) delete form[name];
          else form[name] = value;
        }
        return server.request("POST", "/oauth/token", {
          body: new URLSearchParams(form).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: bank.authorization ?? "" },
        });
      };
      const refused = await exchange(fields);
      assert.equal(refused.status, 400, JSON.stringify(fields));
      assert.equal((refused.body as { error: string }).error, "invalid_grant");
      const retried = await exchange({});
      assert.equal((retried.body as { error: string }).error, "invalid_grant", "the code was spent by the refusal");
    }
  });

  test("the account page lists a third-party app's access and takes it back: its sessions end, consent is asked again", async () => {
    const browser = new PageClient(server.url);
    const someone = await server.createUser(); // no consent given yet
    const request = await authorizationRequest(retirementConfig, `${RETIREMENT}/callback`);
    const toSignIn = new URL((await browser.get(request.url.href)).location ?? "", server.url);
    assert.equal(toSignIn.pathname, "/sign-in");
    const signedIn = await browser.submit(toSignIn.pathname + toSignIn.search, "/sign-in", {
      email: someone.email,
      password: someone.password,
      return_to: toSignIn.searchParams.get("return_to") ?? "",
    });
    const answer = await browser.get(signedIn.location ?? "");
    assert.match(answer.html, /Allow Retirement Plans Inc\.\?/);
    const fields = Object.fromEntries(
      [...answer.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1],
        (m[2] ?? "").replaceAll("&amp;", "&"),
      ]),
    );
    const allowed = await browser.post("/oauth/authorize", { ...fields, decision: "allow" });
    const tokens = await oidc.authorizationCodeGrant(retirementConfig, new URL(allowed.location ?? ""), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });

    const account = await browser.get("/account");
    assert.match(account.html, /Apps you allowed/);
    assert.match(account.html, /Retirement Plans Inc\./);
    const revoked = await browser.submit("/account", "/account/apps/revoke", { client_id: retirement.client.id });
    assert.equal(revoked.status, 303);
    await assert.rejects(
      oidc.fetchUserInfo(retirementConfig, tokens.access_token, someone.id),
      "its access token ends",
    );
    await assert.rejects(oidc.refreshTokenGrant(retirementConfig, tokens.refresh_token ?? ""), {
      error: "invalid_grant",
    });
    const again = await authorizationRequest(retirementConfig, `${RETIREMENT}/callback`);
    assert.match((await browser.get(again.url.href)).html, /Allow Retirement Plans Inc\.\?/, "consent is asked again");
    assert.doesNotMatch((await browser.get("/account")).html, /Apps you allowed/);
  });

  test("prompt=login and max_age=0 ask a signed-in browser to sign in again, once; auth_time moves", async () => {
    const browser = new PageClient(server.url);
    const first = await authorizationRequest(bankConfig, `${BANK}/callback`);
    const firstTokens = await oidc.authorizationCodeGrant(
      bankConfig,
      new URL(await walk(browser, first.url.href, user)),
      {
        pkceCodeVerifier: first.verifier,
        expectedState: first.state,
        expectedNonce: first.nonce,
      },
    );
    const firstAuthTime = Number(firstTokens.claims()?.auth_time);
    const cases: Record<string, string>[] = [{ prompt: "login" }, { max_age: "0" }];
    for (const extra of cases) {
      clock += 5_000; // a later sign-in, on the server's clock
      try {
        const request = await authorizationRequest(bankConfig, `${BANK}/callback`, extra);
        const toSignIn = new URL((await browser.get(request.url.href)).location ?? "", server.url);
        assert.equal(toSignIn.pathname, "/sign-in", JSON.stringify(extra));
        assert.equal(toSignIn.searchParams.get("reauthenticate"), "1");
        const page = await browser.get(toSignIn.pathname + toSignIn.search);
        assert.equal(page.status, 200, "the form, although the browser is signed in");
        const callback = await walk(browser, request.url.href, user);
        const tokens = await oidc.authorizationCodeGrant(bankConfig, new URL(callback), {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
          ...(extra.max_age !== undefined ? { maxAge: 0 } : {}),
        });
        assert.ok(Number(tokens.claims()?.auth_time) > firstAuthTime, `${JSON.stringify(extra)}: a new auth_time`);
        assert.equal(tokens.claims()?.sid, firstTokens.claims()?.sid, "the same browser session, signed in again");
      } finally {
        clock = Date.now();
      }
    }
  });

  test("an expired code is refused", async () => {
    const browser = new PageClient(server.url);
    const request = await authorizationRequest(bankConfig, `${BANK}/callback`);
    const callback = new URL(await walk(browser, request.url.href, user));
    clock += (server.config.authorizationCodeTtl + 1) * 1000;
    try {
      await assert.rejects(
        oidc.authorizationCodeGrant(bankConfig, callback, {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
        }),
        { error: "invalid_grant" },
      );
    } finally {
      clock = Date.now();
    }
  });

  describe("refusals at the authorization endpoint", () => {
    const base = (clientId: string, redirectUri: string): Record<string, string> => ({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: "openid",
      state: "s-1",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    });
    const authorize = (browser: PageClient, params: Record<string, string>) =>
      browser.get(`/oauth/authorize?${new URLSearchParams(params).toString()}`);

    test("an unregistered client or redirect URI gets a page, never a redirect", async () => {
      const browser = new PageClient(server.url);
      for (const params of [
        base("no-such-client", `${BANK}/callback`),
        base(bank.client.id, "https://evil.example/callback"),
        base(bank.client.id, `${BANK}/callback/`),
      ]) {
        const answer = await authorize(browser, params);
        assert.equal(answer.status, 400, JSON.stringify(params));
        assert.equal(answer.location, null);
        assert.match(answer.html, /This link cannot be used/);
      }
      const repeated = new URLSearchParams(base(bank.client.id, `${BANK}/callback`));
      repeated.append("redirect_uri", `${BANK}/callback`);
      const answer = await browser.get(`/oauth/authorize?${repeated.toString()}`);
      assert.equal(answer.status, 400, "a repeated redirect_uri is not one registered URI");
      assert.equal(answer.location, null);
    });

    test("the standard errors go back on the redirect URI with state", async () => {
      const browser = new PageClient(server.url);
      const ok = base(bank.client.id, `${BANK}/callback`);
      const cases: [Record<string, string>, string][] = [
        [{ ...ok, code_challenge_method: "plain" }, "invalid_request"],
        [Object.fromEntries(Object.entries(ok).filter(([name]) => name !== "code_challenge")), "invalid_request"],
        [{ ...ok, response_type: "token" }, "unsupported_response_type"],
        [{ ...ok, scope: "openid admin" }, "invalid_scope"],
        [{ ...ok, prompt: "none" }, "login_required"],
        [{ ...ok, request: "eyJ..." }, "request_not_supported"],
      ];
      for (const [params, error] of cases) {
        const answer = await authorize(browser, params);
        assert.equal(answer.status, 303, error);
        const location = new URL(answer.location ?? "");
        assert.equal(location.origin + location.pathname, `${BANK}/callback`);
        assert.equal(location.searchParams.get("error"), error);
        assert.equal(location.searchParams.get("state"), "s-1");
        assert.equal(location.searchParams.get("code"), null);
      }
    });

    test("a client without the authorization_code grant is unauthorized_client", async () => {
      const service = await server.createClient({ name: "service", grantTypes: ["client_credentials"] });
      const answer = await authorize(new PageClient(server.url), base(service.client.id, `${BANK}/callback`));
      assert.equal(answer.status, 400, "it registered no redirect URI, so there is nowhere to send the error");
    });
  });

  test("the password grant is off by default (RFC 9700 §2.4)", async () => {
    const answer = await server.request("POST", "/oauth/token", {
      body: new URLSearchParams({ grant_type: "password", username: user.email, password: user.password }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(answer.status, 400);
    assert.equal((answer.body as { error: string }).error, "unsupported_grant_type");
  });
});
