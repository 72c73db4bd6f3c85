// Cookie mode for browser apps: the refresh token in an HttpOnly, SameSite=Strict cookie scoped to
// /auth, only for requests that carry `Sigil-Refresh-Cookie: 1` from an allowed Origin; CORS for
// exactly the listed web origins. Over real HTTP, on both databases; the cookie is handled by
// hand, as a browser would, so every attribute is checked as sent.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import {
  type CallOptions,
  type CallResult,
  describeEachDatabase,
  startTestServer,
  type TestServer,
} from "../../src/testing/index.js";

/** The SPA's origin, listed in SIGIL_WEB_ORIGINS (nothing listens there: only the header matters). */
const APP_ORIGIN = "http://127.0.0.1:5999";
const FOREIGN_ORIGIN = "http://localhost:5999";
const COOKIE_NAME = "sigil_refresh"; // a plain-http loopback issuer: no __Secure- prefix, no Secure

interface SetCookie {
  value: string;
  attributes: Map<string, string>;
}

/** The refresh cookie a response sets, parsed; undefined when it sets none. */
function refreshCookieSet(result: CallResult): SetCookie | undefined {
  const line = result.headers.getSetCookie().find((header) => header.startsWith(`${COOKIE_NAME}=`));
  if (line === undefined) return undefined;
  const [pair = "", ...rest] = line.split(";").map((part) => part.trim());
  const attributes = new Map(
    rest.map((part) => {
      const [key = "", value = ""] = part.split("=");
      return [key.toLowerCase(), value] as [string, string];
    }),
  );
  return { value: decodeURIComponent(pair.slice(COOKIE_NAME.length + 1)), attributes };
}

function isCleared(set: SetCookie | undefined): boolean {
  return (
    set !== undefined &&
    set.value === "" &&
    (set.attributes.get("max-age") === "0" || Date.parse(set.attributes.get("expires") ?? "") <= 0)
  );
}

describeEachDatabase("cookie mode: the refresh token in an HttpOnly cookie for browser apps", (getDb) => {
  let server: TestServer;
  const clock = { offsetMs: 0 };
  const now = (): number => Date.now() + clock.offsetMs;

  /** The server's log lines, parsed: the operator's view of each refusal. */
  const logLines: Record<string, unknown>[] = [];
  const log = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });

  before(async () => {
    server = await startTestServer({ database: getDb(), now, log, env: { SIGIL_WEB_ORIGINS: APP_ORIGIN } });
  });
  after(() => server.close());

  /** A request as the app's page makes it: the header, its Origin, and the cookie if it has one. */
  function fromApp(path: string, cookie: string | undefined, options: CallOptions & { origin?: string | null } = {}) {
    const { origin = APP_ORIGIN, ...rest } = options;
    const headers: Record<string, string> = { "sigil-refresh-cookie": "1", ...rest.headers };
    if (origin !== null) headers.origin = origin;
    if (cookie !== undefined) headers.cookie = `${COOKIE_NAME}=${cookie}`;
    return server.request("POST", path, { json: {}, ...rest, headers });
  }

  async function signInFromApp(): Promise<{ cookie: string; accessToken: string; login: CallResult }> {
    const user = await server.createUser();
    const login = await fromApp("/auth/login", undefined, { json: { email: user.email, password: user.password } });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const set = refreshCookieSet(login);
    assert.ok(set, "login sets the refresh cookie");
    return { cookie: set.value, accessToken: login.body.access_token, login };
  }

  test("login: the refresh token goes in an HttpOnly, SameSite=Strict cookie on /auth, not in the body", async () => {
    const { login, accessToken } = await signInFromApp();
    const set = refreshCookieSet(login);
    assert.ok(set);
    assert.equal(set.attributes.get("path"), "/auth");
    assert.ok(set.attributes.has("httponly"));
    assert.equal(set.attributes.get("samesite"), "Strict");
    assert.equal(set.attributes.has("secure"), false, "plain-http loopback in development only");
    assert.equal(set.attributes.get("max-age"), String(server.config.refreshIdleTtl));
    assert.equal(login.body.refresh_token, undefined);
    assert.deepEqual(Object.keys(login.body).sort(), ["access_token", "device_token", "expires_in", "token_type"]);
    assert.equal(login.headers.get("cache-control"), "no-store");
    assert.equal((await server.request("GET", "/userinfo", { token: accessToken })).status, 200);
  });

  test("refresh: the cookie rotates, a replay within the grace window gets the same successor, later it ends the session", async () => {
    const { cookie } = await signInFromApp();
    const first = await fromApp("/auth/refresh", cookie);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.refresh_token, undefined);
    const successor = refreshCookieSet(first);
    assert.ok(successor);
    assert.notEqual(successor.value, cookie, "rotated");
    assert.equal(successor.attributes.get("max-age"), String(server.config.refreshIdleTtl));
    assert.equal((await server.request("GET", "/userinfo", { token: first.body.access_token })).status, 200);

    // Another tab presents the old cookie a moment later: the same successor, a working session.
    clock.offsetMs += (server.config.refreshGraceSeconds - 2) * 1000;
    const replay = await fromApp("/auth/refresh", cookie);
    assert.equal(replay.status, 200);
    assert.equal(refreshCookieSet(replay)?.value, successor.value);

    // Beyond the window the old cookie is a stolen one: the session ends, the cookie is cleared.
    clock.offsetMs += 3 * 1000;
    const theft = await fromApp("/auth/refresh", cookie);
    assert.equal(theft.status, 401);
    assert.match(theft.body.error_description, /^refresh_token_reused:/);
    assert.ok(isCleared(refreshCookieSet(theft)), "the refusal clears the cookie");
    assert.equal((await server.request("GET", "/userinfo", { token: first.body.access_token })).status, 401);
    const after = await fromApp("/auth/refresh", successor.value);
    assert.match(after.body.error_description, /^session_revoked:/);
    assert.ok(isCleared(refreshCookieSet(after)));
  });

  test("logout: the session ends and the cookie is cleared; again without a cookie: 204", async () => {
    const { cookie, accessToken } = await signInFromApp();
    const out = await fromApp("/auth/logout", cookie);
    assert.equal(out.status, 204);
    assert.ok(isCleared(refreshCookieSet(out)));
    assert.equal((await server.request("GET", "/userinfo", { token: accessToken })).status, 401);
    assert.match((await fromApp("/auth/refresh", cookie)).body.error_description, /^session_revoked:/);
    assert.equal((await fromApp("/auth/logout", undefined)).status, 204, "nothing left to end");
  });

  test("refresh without a cookie: 401 invalid_grant, keyword missing_token", async () => {
    const answer = await fromApp("/auth/refresh", undefined);
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error, "invalid_grant");
    assert.match(answer.body.error_description, /^missing_token:/);
  });

  test("the cookie without the header is refused (a cross-site form), and the session lives on", async () => {
    const { cookie } = await signInFromApp();
    const headers = { cookie: `${COOKIE_NAME}=${cookie}`, origin: APP_ORIGIN };
    for (const path of ["/auth/refresh", "/auth/logout"]) {
      const answer = await server.request("POST", path, { json: {}, headers });
      assert.equal(answer.status, 403, path);
      assert.equal(answer.body.error, "invalid_request");
      assert.match(answer.body.error_description, /Sigil-Refresh-Cookie/);
      assert.equal(refreshCookieSet(answer), undefined, "a refusal of someone else's request leaves the cookie");
    }
    assert.ok(
      logLines.some((line) => line.code === "refresh_cookie_without_header"),
      "logged for the operator",
    );
    assert.equal((await fromApp("/auth/refresh", cookie)).status, 200, "still signed in");
  });

  test("cookie mode from a foreign Origin, or without one, is refused: login, refresh, logout", async () => {
    const { cookie } = await signInFromApp();
    const user = await server.createUser();
    const credentials = { email: user.email, password: user.password };
    for (const origin of [FOREIGN_ORIGIN, "null", null]) {
      const login = await fromApp("/auth/login", undefined, { origin, json: credentials });
      assert.equal(login.status, 403, `login from ${origin}`);
      assert.equal(login.body.error, "invalid_request");
      assert.match(login.body.error_description, /web origins/);
      assert.equal(refreshCookieSet(login), undefined);
      for (const path of ["/auth/refresh", "/auth/logout"]) {
        const answer = await fromApp(path, cookie, { origin });
        assert.equal(answer.status, 403, `${path} from ${origin}`);
        assert.equal(refreshCookieSet(answer), undefined);
      }
    }
    assert.equal((await fromApp("/auth/refresh", cookie)).status, 200, "the session was not touched");
    // The operator's log names each refusal by its code, and the Origin that was refused.
    const refused = logLines.filter((line) => line.code === "origin_not_allowed").map((line) => line.reason);
    assert.ok(refused.includes(`Origin ${JSON.stringify(FOREIGN_ORIGIN)}`), JSON.stringify(refused));
    assert.ok(refused.includes("no Origin header"));
  });

  test("the server's own origin may use cookie mode (an app served beside the API)", async () => {
    const user = await server.createUser();
    const login = await fromApp("/auth/login", undefined, {
      origin: new URL(server.issuer).origin,
      json: { email: user.email, password: user.password },
    });
    assert.equal(login.status, 200);
    assert.ok(refreshCookieSet(login));
  });

  test("a refresh_token in the body with the header is refused as ambiguous", async () => {
    const session = await server.signIn();
    const answer = await fromApp("/auth/refresh", undefined, { json: { refresh_token: session.refreshToken } });
    assert.equal(answer.status, 400);
    assert.match(answer.body.error_description, /cookie/);
  });

  test("body mode is unchanged: no header, no cookie set, the refresh token in bodies", async () => {
    const user = await server.createUser();
    const login = await server.request("POST", "/auth/login", {
      json: { email: user.email, password: user.password },
      headers: { origin: APP_ORIGIN },
    });
    assert.equal(login.status, 200);
    assert.equal(typeof login.body.refresh_token, "string");
    assert.deepEqual(login.headers.getSetCookie(), []);
    const refreshed = await server.request("POST", "/auth/refresh", {
      json: { refresh_token: login.body.refresh_token },
    });
    assert.equal(refreshed.status, 200);
    assert.equal(typeof refreshed.body.refresh_token, "string");
    assert.deepEqual(refreshed.headers.getSetCookie(), []);
    const missing = await server.request("POST", "/auth/refresh", { json: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error_description, 'body is missing the field "refresh_token"');
    const out = await server.request("POST", "/auth/logout", { json: { refresh_token: refreshed.body.refresh_token } });
    assert.equal(out.status, 204);
  });

  test("CORS: the listed origin may call the API with credentials; other origins and the pages get nothing", async () => {
    const preflight = (path: string, origin: string) =>
      fetch(`${server.url}${path}`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,sigil-refresh-cookie",
        },
      });
    const allowed = await preflight("/auth/refresh", APP_ORIGIN);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get("access-control-allow-origin"), APP_ORIGIN);
    assert.equal(allowed.headers.get("access-control-allow-credentials"), "true");
    assert.deepEqual(allowed.headers.get("access-control-allow-headers")?.split(/,\s*/).sort(), [
      "authorization",
      "content-type",
      "sigil-refresh-cookie",
    ]);
    assert.match(allowed.headers.get("access-control-allow-methods") ?? "", /POST/);

    const foreign = await preflight("/auth/refresh", FOREIGN_ORIGIN);
    assert.equal(foreign.headers.get("access-control-allow-origin"), null);
    const page = await preflight("/sign-in", APP_ORIGIN);
    assert.equal(page.headers.get("access-control-allow-origin"), null, "no CORS for the hosted pages");
    const gateway = await preflight("/auth/verify", APP_ORIGIN);
    assert.equal(gateway.headers.get("access-control-allow-origin"), null, "nor for forward auth");

    const { accessToken } = await signInFromApp();
    const userinfo = await server.request("GET", "/userinfo", { token: accessToken, headers: { origin: APP_ORIGIN } });
    assert.equal(userinfo.headers.get("access-control-allow-origin"), APP_ORIGIN);
    assert.deepEqual(userinfo.headers.get("access-control-expose-headers")?.split(/,\s*/).sort(), [
      "date",
      "retry-after",
      "www-authenticate",
    ]);
    const signInPage = await server.request("GET", "/sign-in", { headers: { origin: APP_ORIGIN } });
    assert.equal(signInPage.headers.get("access-control-allow-origin"), null);
  });
});
