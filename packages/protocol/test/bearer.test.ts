import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { extractBearer, readCookie } from "../src/index.js";

const TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0.c2ln";

describe("bearer token extraction (RFC 6750 §2.1)", () => {
  test("malformed credentials are invalid_request", () => {
    for (const header of [
      "Bearer",
      "Bearer ",
      `Bearer ${TOKEN} extra`,
      `Bearer\t${TOKEN}`,
      `Bearer "${TOKEN}"`,
      `Bearer ${TOKEN},other`,
      "Bearer ab=c",
      "Bearer a b",
      " Bearer x",
    ]) {
      assert.equal(extractBearer({ authorization: [header] }).kind, "invalid_request", header);
    }
  });

  test("several Authorization headers are refused, not guessed at", () => {
    const found = extractBearer({ authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] });
    assert.equal(found.kind, "invalid_request");
  });

  test("no header, or another scheme, is a missing token", () => {
    assert.equal(extractBearer({ authorization: undefined }).kind, "missing");
    assert.equal(extractBearer({ authorization: [] }).kind, "missing");
    assert.equal(extractBearer({ authorization: ["Basic dXNlcjpwYXNz"] }).kind, "missing");
  });

  test("the scheme is case-insensitive; b64token characters and trailing = are accepted", () => {
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"]) {
      assert.deepEqual(extractBearer({ authorization: [`${scheme} ${TOKEN}`] }), { kind: "token", token: TOKEN });
    }
    assert.deepEqual(extractBearer({ authorization: ["Bearer a-._~+/b=="] }), { kind: "token", token: "a-._~+/b==" });
    assert.deepEqual(extractBearer({ authorization: [`Bearer   ${TOKEN}`] }), { kind: "token", token: TOKEN });
  });

  test("the named cookie is read only when configured, and only without an Authorization header", () => {
    const cookie = `theme=dark; sigil_at=${TOKEN}; other=1`;
    assert.equal(extractBearer({ authorization: undefined, cookie }).kind, "missing");
    assert.deepEqual(extractBearer({ authorization: undefined, cookie }, { cookie: "sigil_at" }), {
      kind: "token",
      token: TOKEN,
    });
    assert.deepEqual(extractBearer({ authorization: ["Bearer header.token.x"], cookie }, { cookie: "sigil_at" }), {
      kind: "token",
      token: "header.token.x",
    });
    assert.equal(
      extractBearer({ authorization: undefined, cookie: "sigil_at=a b" }, { cookie: "sigil_at" }).kind,
      "invalid_request",
    );
  });

  test("readCookie: the named cookie only, quotes removed, absent header", () => {
    assert.equal(readCookie("a=1; sigil_at=tok; b=2", "sigil_at"), "tok");
    assert.equal(readCookie('sigil_at="tok"', "sigil_at"), "tok");
    assert.equal(readCookie("xsigil_at=no; sigil_at=yes", "sigil_at"), "yes");
    assert.equal(readCookie("a=1", "sigil_at"), undefined);
    assert.equal(readCookie(undefined, "sigil_at"), undefined);
  });

  test("readCookie: quoted values, and duplicates are ambiguous", () => {
    assert.equal(readCookie('a="x.y"', "a"), "x.y");
    assert.equal(readCookie("a=1; a=2", "a"), "");
    assert.equal(readCookie("ab=1", "a"), undefined);
  });
});
