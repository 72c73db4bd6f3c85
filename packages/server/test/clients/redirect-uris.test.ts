// What a client may register as a redirect URI: https, or http on a loopback host; no fragment,
// no credentials. Everything else is refused with a message that names the rule.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkRedirectUri, checkRedirectUris } from "../../src/clients/redirect-uris.js";

test("https anywhere, http only on loopback", () => {
  for (const uri of [
    "https://bank.example.com/callback",
    "https://bank.example.com/callback?tenant=1",
    "http://127.0.0.1:4101/callback",
    "http://localhost:8080/cb",
    "http://[::1]/cb",
  ]) {
    assert.equal(checkRedirectUri(uri), uri);
  }
});

test("refused: plain http off loopback, fragments, credentials, other schemes, relative URIs", () => {
  const cases: [string, RegExp][] = [
    ["http://bank.example.com/callback", /must use https/],
    ["http://127.0.0.1.evil.example/cb", /must use https/],
    ["https://bank.example.com/callback#x", /fragment/],
    ["https://user:pw@bank.example.com/cb", /credentials/],
    ["javascript:alert(1)", /must use https/],
    ["/callback", /not an absolute URL/],
    ["", /1 to 2048/],
    [`https://bank.example.com/${"a".repeat(2048)}`, /1 to 2048/],
  ];
  for (const [uri, message] of cases) assert.throws(() => checkRedirectUri(uri), message, uri);
});

test("a list keeps its order and drops duplicates", () => {
  assert.deepEqual(checkRedirectUris(["https://a.example/cb", "https://b.example/cb", "https://a.example/cb"]), [
    "https://a.example/cb",
    "https://b.example/cb",
  ]);
});
