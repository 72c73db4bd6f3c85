import assert from "node:assert/strict";
import { test } from "node:test";
import { cookieMode } from "../../src/http/cookie-mode.js";
import { refreshCookie } from "../../src/http/refresh-cookie.js";

test("over https the refresh cookie is __Secure-, Secure, HttpOnly, SameSite=Strict, on /auth", () => {
  assert.deepEqual(refreshCookie({ issuer: "https://auth.example.com" }), {
    name: "__Secure-sigil_refresh",
    attributes: { path: "/auth", httpOnly: true, secure: true, sameSite: "strict" },
  });
});

test("on a plain-http loopback issuer (development) it goes without Secure and without the prefix", () => {
  assert.deepEqual(refreshCookie({ issuer: "http://127.0.0.1:3000" }), {
    name: "sigil_refresh",
    attributes: { path: "/auth", httpOnly: true, secure: false, sameSite: "strict" },
  });
});

test("cookie mode is allowed for the listed web origins and the server's own origin, nothing else", () => {
  const mode = cookieMode({ issuer: "https://auth.example.com/", webOrigins: ["https://app.example.com"] });
  assert.deepEqual([...mode.allowedOrigins].sort(), ["https://app.example.com", "https://auth.example.com"]);
});
