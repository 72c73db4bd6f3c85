import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, test } from "node:test";
import { authorizationOf } from "../src/middleware/authorization-header.js";

/** The three fields authorizationOf reads, as Node fills them for these raw headers. */
function request(raw: string[]): IncomingMessage {
  const headers: Record<string, string> = {};
  const distinct: Record<string, string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    headers[name] ??= value; // Node keeps the first Authorization and drops the others
    distinct[name] = [...(distinct[name] ?? []), value];
  }
  return { headers, rawHeaders: raw, headersDistinct: distinct } as unknown as IncomingMessage;
}

describe("authorizationOf", () => {
  test("several Authorization headers, whatever their case, come back as every value (RFC 6750 §3.1)", () => {
    const req = request(["Host", "a", "Authorization", "Bearer one", "AUTHORIZATION", "Basic dXNlcjpwYXNz"]);
    assert.deepEqual(authorizationOf(req), ["Bearer one", "Basic dXNlcjpwYXNz"]);
    const same = request(["authorization", "Bearer one", "Cache-Control", "no", "aUtHoRiZaTiOn", "Bearer one"]);
    assert.deepEqual(authorizationOf(same), ["Bearer one", "Bearer one"]);
  });

  test("one header is its value; none is undefined; other 13-letter names do not count", () => {
    const req = request(["Cache-Control", "no-cache", "Authorization", "Bearer one", "Last-Modified", "x"]);
    assert.equal(authorizationOf(req), "Bearer one");
    assert.equal(authorizationOf(request(["Host", "a"])), undefined);
  });
});
