// `sigil verify --jwks URL` against a real HTTP server on the loopback interface.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { exportJWK, generateKeyPair, signJWT } from "@sigil/jwt";
import { isOneLineError, run } from "./helpers.js";

const pair = await generateKeyPair("ES256");
const jwks = JSON.stringify({ keys: [exportJWK(pair.publicKey, { alg: "ES256" })] });
const token = signJWT({ sub: "alice" }, pair.signing, { expiresIn: 300 });

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  "/jwks.json": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(jwks);
  },
  "/missing": (_req, res) => {
    res.writeHead(404).end("not found");
  },
  "/html": (_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end("<html>login</html>");
  },
  "/huge": (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(" ".repeat(1024 * 1024 + 1));
  },
};
const server = createServer((req, res) => {
  const handler = routes[req.url ?? ""];
  if (handler === undefined) res.writeHead(500).end();
  else handler(req, res);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

describe("sigil verify --jwks URL", () => {
  test("fetches the JWKS and verifies (exit 0)", async () => {
    const result = await run(["verify", token, "--jwks", `${base}/jwks.json`]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`^valid: .*alg ES256, key id "${pair.kid}"`));
  });

  test("a token signed by another key is rejected (exit 1)", async () => {
    const forged = signJWT({ sub: "alice" }, (await generateKeyPair("ES256")).signing, { expiresIn: 300 });
    const result = await run(["verify", forged, "--jwks", `${base}/jwks.json`]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^error (KEY_NOT_FOUND|SIGNATURE_INVALID): /);
  });

  test("HTTP errors, non-JSON, oversized bodies and refused connections are one-line errors", async () => {
    const cases: [string, RegExp][] = [
      [`${base}/missing`, /cannot fetch JWKS from .*: HTTP 404/],
      [`${base}/html`, /cannot use the JWKS in .*not valid JSON/],
      [`${base}/huge`, /larger than 1048576 bytes/],
      [`http://127.0.0.1:${await closedPort()}/jwks.json`, /cannot fetch JWKS from .*: ECONNREFUSED/],
    ];
    for (const [url, pattern] of cases) {
      const result = await run(["verify", token, "--jwks", url]);
      assert.ok(isOneLineError(result), `${url}: ${result.stderr}`);
      assert.equal(result.code, 2);
      assert.match(result.stderr, pattern);
    }
  });

  test("credentials in the URL are not echoed", async () => {
    const result = await run(["verify", token, "--jwks", "http://user:hunter2@127.0.0.1:1/jwks.json"]);
    assert.ok(isOneLineError(result), result.stderr);
    assert.doesNotMatch(result.stderr, /hunter2/);
    assert.match(result.stderr, /must not contain a user name or password/);
  });
});

/** A loopback port nobody listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
