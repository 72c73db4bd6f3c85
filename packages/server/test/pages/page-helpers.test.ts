// The pure rules of the hosted pages: where a sign-in may return to, the cookies' names and
// attributes, the Content-Security-Policy, the accent colour's text, and the device names.
import assert from "node:assert/strict";
import { test } from "node:test";
import { brandStylesheet } from "../../src/pages/brand.js";
import { pageContentSecurityPolicy } from "../../src/pages/content-security-policy.js";
import { pageCookies } from "../../src/pages/cookies.js";
import { deviceLabel } from "../../src/pages/device-label.js";
import { allowedReturnTo } from "../../src/pages/return-to.js";

const config = { issuer: "https://auth.example.com", webOrigins: ["https://app.example.com", "http://localhost:5173"] };

test("return_to: paths of this server and the allowed origins only", () => {
  assert.equal(allowedReturnTo("/account", config), "/account");
  assert.equal(
    allowedReturnTo("/oauth/authorize?client_id=a&state=b#x", config),
    "/oauth/authorize?client_id=a&state=b#x",
  );
  assert.equal(allowedReturnTo("https://app.example.com/after?x=1", config), "https://app.example.com/after?x=1");
  assert.equal(allowedReturnTo("http://localhost:5173/", config), "http://localhost:5173/");
  assert.equal(allowedReturnTo("https://auth.example.com/account", config), "https://auth.example.com/account");
  for (const refused of [
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "https://app.example.com.evil.example/",
    "https://app.example.com@evil.example/",
    "https://user:pw@app.example.com/",
    "http://app.example.com/", // the scheme is part of the origin
    "https://app.example.com:444/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/ok\n/evil",
    "/%0d%0aSet-Cookie:x",
    `/${"a".repeat(2048)}`,
    "",
  ]) {
    const allowed = allowedReturnTo(refused, config);
    if (refused === "/%0d%0aSet-Cookie:x") {
      // Percent-encoded bytes stay encoded: a path of this server, harmless.
      assert.equal(allowed, "/%0d%0aSet-Cookie:x");
      continue;
    }
    assert.equal(allowed, undefined, `refused: ${JSON.stringify(refused.slice(0, 60))}`);
  }
  assert.equal(allowedReturnTo(undefined, config), undefined);
});

test("cookies: __Host- and Secure over https, plain names on a loopback http issuer", () => {
  const https = pageCookies({ issuer: "https://auth.example.com/base" });
  assert.equal(https.session, "__Host-sigil_session");
  assert.equal(https.csrf, "__Host-sigil_csrf");
  assert.deepEqual(https.attributes, { path: "/", httpOnly: true, secure: true, sameSite: "lax" });
  const http = pageCookies({ issuer: "http://localhost:3000" });
  assert.equal(http.session, "sigil_session");
  assert.equal(http.attributes.secure, false);
  assert.equal(http.attributes.httpOnly, true);
});

test("content security policy: no script source, no framing, forms to this server and the allowed origins", () => {
  const policy = pageContentSecurityPolicy({
    webOrigins: ["https://app.example.com"],
    brand: { accentColor: "#000", logoUrl: "https://cdn.example.com/logo.svg" },
  });
  assert.equal(
    policy,
    "default-src 'none'; style-src 'self'; img-src 'self' https://cdn.example.com; form-action 'self' https://app.example.com; frame-ancestors 'none'; base-uri 'none'",
  );
  assert.doesNotMatch(policy, /script-src|unsafe/);
  const local = pageContentSecurityPolicy({ webOrigins: [], brand: { accentColor: "#000", logoUrl: "/logo.png" } });
  assert.match(local, /img-src 'self';/);
});

test("brand stylesheet: the accent, and the more readable of black and white text on it", () => {
  assert.equal(brandStylesheet("#4338ca"), ":root { --accent: #4338ca; --accent-text: #fff; }\n");
  assert.equal(brandStylesheet("#fde047"), ":root { --accent: #fde047; --accent-text: #000; }\n");
  assert.equal(brandStylesheet("#fff"), ":root { --accent: #fff; --accent-text: #000; }\n");
});

test("device labels: a browser and a system a person recognises, nothing of the raw string", () => {
  assert.equal(
    deviceLabel(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    ),
    "Chrome on Windows",
  );
  assert.equal(
    deviceLabel(
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    ),
    "Safari on iPhone",
  );
  assert.equal(
    deviceLabel("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"),
    "Firefox on Linux",
  );
  assert.equal(
    deviceLabel(
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
    ),
    "Edge on macOS",
  );
  assert.equal(deviceLabel("curl/8.5.0"), "curl");
  assert.equal(deviceLabel("<script>alert(1)</script>"), "Unknown device");
  assert.equal(deviceLabel(null), "Unknown device");
});
