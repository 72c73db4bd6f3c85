// OpenID Connect in Chromium, on both databases: two apps on two origins of their own, each a
// standard relying party (openid-client, as a web app's server would run it). The person signs in
// once on Sigil's page for the first app, reaches the second with no password asked, and signs
// out from the second (RP-initiated logout): the browser session and both apps' sessions end, and
// a verifier on the revocation feed refuses both apps' access tokens. No page logs an error or
// breaks its Content-Security-Policy — the sign-in form's redirect to each app's callback included.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { describeEachDatabase, startTestServer, type TestServer } from "@sigil/server/testing";
import { type AccessTokenVerifier, createAccessTokenVerifier, silentLogger } from "@sigil/verifier";
import * as oidc from "openid-client";
import type { Page } from "playwright-core";
import { assertNoBrowserErrors, describeInBrowser, newPage } from "../support/browser.js";
import { file, type StaticServer, startStaticServer } from "../support/static-server.js";
import { eventually, refuses } from "../support/verifier-events.js";

/** Only turns a hang into a failure; the test waits for events, not for time. */
const SAFETY_TIMEOUT = 120_000;

/** An app's origin: a callback page and a signed-out page, nothing else (its server side is this test). */
function appPages(name: string): Record<string, ReturnType<typeof file>> {
  return {
    "/callback": file("callback.html", `<!doctype html><title>${name}</title><h1>${name}: back from Sigil</h1>`),
    "/signed-out": file("signed-out.html", `<!doctype html><title>${name}</title><h1>${name}: signed out</h1>`),
  };
}

describeInBrowser("OpenID Connect in Chromium", (getBrowser) => {
  describeEachDatabase("two apps, one sign-in", (getDb) => {
    let sigil: TestServer;
    let bankSite: StaticServer;
    let pensionSite: StaticServer;
    let verifier: AccessTokenVerifier;
    let bank: oidc.Configuration;
    let pension: oidc.Configuration;

    before(async () => {
      sigil = await startTestServer({ database: getDb() });
      bankSite = await startStaticServer({ files: appPages("Bank") });
      pensionSite = await startStaticServer({ files: appPages("Pensions") });
      const register = async (name: string, site: StaticServer) => {
        const created = await sigil.createClient({
          name,
          grantTypes: ["authorization_code", "refresh_token"],
          redirectUris: [`${site.url}/callback`],
          postLogoutRedirectUris: [`${site.url}/signed-out`],
          firstParty: true,
        });
        return oidc.discovery(new URL(sigil.issuer), created.client.id, created.secret ?? "", undefined, {
          execute: [oidc.allowInsecureRequests],
        });
      };
      bank = await register("Bank", bankSite);
      pension = await register("Pensions", pensionSite);
      const feed = await sigil.createClient({ name: "verifier", grantTypes: [], permissions: ["revocation-feed"] });
      verifier = createAccessTokenVerifier({
        issuer: sigil.issuer,
        audience: sigil.audience,
        algorithms: ["EdDSA"],
        revocation: { clientId: feed.client.id, clientSecret: feed.secret ?? "" },
        logger: silentLogger,
      });
      await verifier.ready();
    });
    after(async () => {
      verifier?.close();
      await bankSite?.close();
      await pensionSite?.close();
      await sigil?.close();
    });

    /**
     * Sends the page to the app's authorization URL and, when `signIn` is given, signs in on Sigil's
     * page; resolves with the tokens once the page lands on the app's callback.
     */
    async function signInTo(
      page: Page,
      config: oidc.Configuration,
      site: StaticServer,
      signIn?: { email: string; password: string },
    ) {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: `${site.url}/callback`,
        scope: "openid email offline_access",
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      await page.goto(url.href);
      if (signIn !== undefined) {
        await page.getByRole("heading", { name: "Sign in" }).waitFor();
        await page.getByLabel("Email").fill(signIn.email);
        await page.getByLabel("Password").fill(signIn.password);
        await page.getByRole("button", { name: "Sign in" }).click();
      }
      await page.waitForURL((current) => current.origin === site.url && current.pathname === "/callback");
      return oidc.authorizationCodeGrant(config, new URL(page.url()), {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
      });
    }

    test("sign in at one app, single sign-on to the other, sign out from the second: both end everywhere", {
      timeout: SAFETY_TIMEOUT,
    }, async () => {
      const user = await sigil.createUser();
      const page = await newPage(getBrowser());

      const bankTokens = await signInTo(page, bank, bankSite, user);
      await page.getByRole("heading", { name: "Bank: back from Sigil" }).waitFor();
      const pensionTokens = await signInTo(page, pension, pensionSite); // no password: single sign-on
      assert.equal(pensionTokens.claims()?.sid, bankTokens.claims()?.sid, "one browser session behind both");
      assert.equal(pensionTokens.claims()?.sub, user.id);
      for (const tokens of [bankTokens, pensionTokens]) {
        assert.equal(refuses(verifier, tokens.access_token), false, "the verifier accepts both apps' tokens");
      }
      assert.equal(await page.evaluate(() => document.cookie), "", "no cookie or token a script can read");

      // Sign out from the pension app: RP-initiated logout with its ID token.
      await page.goto(
        oidc.buildEndSessionUrl(pension, {
          id_token_hint: pensionTokens.id_token ?? "",
          post_logout_redirect_uri: `${pensionSite.url}/signed-out`,
          state: "after-logout",
        }).href,
      );
      await page.getByRole("heading", { name: "Pensions: signed out" }).waitFor();
      assert.equal(new URL(page.url()).searchParams.get("state"), "after-logout");
      await eventually(
        () => refuses(verifier, bankTokens.access_token) && refuses(verifier, pensionTokens.access_token),
        "the verifier refuses both apps' access tokens",
      );
      await assert.rejects(oidc.refreshTokenGrant(bank, bankTokens.refresh_token ?? ""), { error: "invalid_grant" });

      // The bank again: the browser session is gone, so Sigil asks for the password.
      await page.goto(
        oidc.buildAuthorizationUrl(bank, {
          redirect_uri: `${bankSite.url}/callback`,
          scope: "openid",
          code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
          code_challenge_method: "S256",
          state: oidc.randomState(),
        }).href,
      );
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await assertNoBrowserErrors(page);
    });
  });
});
