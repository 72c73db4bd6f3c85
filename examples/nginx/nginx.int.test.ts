// The nginx example, end to end: a real Sigil (`sigil serve` on PGlite in memory), the sample
// service, and a real nginx from the machine's packages rendered from nginx.conf.template.
// Without an nginx binary the suite is skipped with a notice — except under CI=true, where
// that is a failure (CI installs Debian's nginx).
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { type IncomingHttpHeaders, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { call, freePort, startTestServer, type TestClient, type TestServer } from "@sigil/server/testing";
import { findNginx, type RunningNginx, startNginx } from "./nginx-process.js";
import { renderNginxConfig } from "./render-config.js";
import { type SampleService, type SeenRequest, startSampleService } from "./sample-service.js";

const binary = findNginx();
if (binary === null) {
  if (process.env.CI === "true") throw new Error("nginx not found (PATH, /usr/sbin/nginx): CI=true requires this test");
  process.stderr.write(
    "\n*** NOTICE: the nginx example test is SKIPPED: nginx not found (PATH, /usr/sbin/nginx) ***\n\n",
  );
}

interface GatewayResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** What the sample service saw, when the request reached it. */
  seen: SeenRequest | null;
}

describe("nginx auth_request in front of a service, with Sigil's /auth/verify", { skip: binary === null }, () => {
  let prefix: string;
  let sigil: TestServer;
  let service: SampleService;
  let nginx: RunningNginx;
  let gateway: string;
  let feedClient: TestClient;
  const serviceLog: string[] = [];

  before(async () => {
    prefix = await mkdtemp(join(tmpdir(), "sigil-nginx-"));
    sigil = await startTestServer({ env: { SIGIL_AUDIENCE: "https://api.example.test" } });
    // Least privilege: the feed serves only clients granted "revocation-feed" (403 otherwise).
    feedClient = await sigil.createClient({
      name: "feed-watcher",
      grantTypes: ["client_credentials"],
      permissions: ["revocation-feed"],
    });
    service = await startSampleService({ log: (line) => serviceLog.push(line) });
    const port = await freePort();
    const config = renderNginxConfig({
      LISTEN: `127.0.0.1:${port}`,
      SIGIL: new URL(sigil.url).host,
      APP: service.address,
    });
    nginx = await startNginx({ binary: binary ?? "", config, prefix, listen: { host: "127.0.0.1", port } });
    gateway = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await nginx?.stop();
    await service?.close();
    await sigil?.close();
    if (prefix) await rm(prefix, { recursive: true, force: true });
  });

  async function through(
    path: string,
    options: { token?: string; headers?: Record<string, string>; method?: string; body?: string } = {},
  ): Promise<GatewayResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    // node:http without an agent: one connection per request, closed after it (fetch would
    // keep idle sockets open for seconds after the suite ends).
    const response = await new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = request(`${gateway}${path}`, { method: options.method ?? "GET", headers, agent: false }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
        });
        req.on("error", reject);
        req.setTimeout(5000, () => req.destroy(new Error("timeout")));
        req.end(options.body);
      },
    );
    const reached = response.status === 200 && response.headers["content-type"] === "application/json";
    return { ...response, seen: reached ? (JSON.parse(response.text) as SeenRequest) : null };
  }

  test("no token → 401 with a bare Bearer challenge; the service is not reached", async () => {
    const before = serviceLog.length;
    const response = await through("/api/accounts");
    assert.equal(response.status, 401);
    assert.equal(response.headers["www-authenticate"], "Bearer");
    assert.equal(response.seen, null);
    assert.equal(serviceLog.length, before);
  });

  test("a bad token → 401 Bearer error=invalid_token", async () => {
    const response = await through("/api/accounts", { token: "not.a.jwt" });
    assert.equal(response.status, 401);
    assert.equal(response.headers["www-authenticate"], 'Bearer error="invalid_token"');
    assert.equal(response.seen, null);
  });

  test("a valid token → 200; the service sees the user's id and session, not the token", async () => {
    const user = await signIn(sigil);
    const claims = JSON.parse(Buffer.from(user.access.split(".")[1] ?? "", "base64url").toString());
    const response = await through("/api/accounts?page=2", { token: user.access });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.seen?.subject, user.userId);
    assert.equal(response.seen?.session, claims.sid);
    assert.equal(response.seen?.client, claims.client_id);
    assert.equal(response.seen?.path, "/api/accounts?page=2");
    assert.equal(response.seen?.authorization, false);
    assert.ok(serviceLog.includes(`sample-service: GET /api/accounts?page=2 subject=${user.userId}`));
  });

  test("forged X-Auth-* headers from the client are overwritten or removed", async () => {
    const user = await signIn(sigil);
    const forged = { "x-auth-subject": "admin", "x-auth-roles": "admin", "x-auth-scope": "everything" };
    const response = await through("/api/accounts", { token: user.access, headers: forged });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.seen?.subject, user.userId);
    // The user has no roles and no scope: Sigil's empty values remove the client's headers.
    assert.equal(response.seen?.roles, null);
    assert.equal(response.seen?.scope, null);
    // Without a token the forged identity goes nowhere.
    const anonymous = await through("/api/accounts", { headers: forged });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.seen, null);
  });

  test("a POST with a body: the service gets the body, the auth subrequest does not need it", async () => {
    const user = await signIn(sigil);
    const body = JSON.stringify({ amount: 42, memo: "x".repeat(2000) });
    const response = await through("/api/transfers", {
      token: user.access,
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.seen?.method, "POST");
    assert.equal(response.seen?.bodyBytes, Buffer.byteLength(body));
    assert.equal(response.seen?.subject, user.userId);
  });

  // The timeout only turns a revocation that is never announced into a failure instead of a hang.
  test("a logged-out token → 401 invalid_token once Sigil's feed has announced the logout", {
    timeout: 60_000,
  }, async () => {
    const user = await signIn(sigil);
    assert.equal((await through("/api/accounts", { token: user.access })).status, 200);
    // /auth/verify reads revocations from the feed hub's memory, fed by NOTIFY after the commit;
    // the hub adds a revocation to that memory before it sends it on the feed, so once a feed
    // subscriber has it, every check through nginx refuses the token. (How soon: bench:verifier.)
    await announced(sigil, feedClient, async () => {
      assert.equal((await call(sigil, "POST", "/auth/logout", { token: user.access })).status, 204);
    });
    const response = await through("/api/accounts", { token: user.access });
    assert.equal(response.status, 401);
    assert.equal(response.headers["www-authenticate"], 'Bearer error="invalid_token"');
    assert.equal(response.seen, null);
  });

  test("Sigil unreachable → 503 from nginx, never the service", async () => {
    const user = await signIn(sigil);
    await sigil.close();
    const response = await through("/api/accounts", { token: user.access });
    assert.equal(response.status, 503, response.text);
    assert.equal(response.seen, null);
    // nginx's error log (on its stderr) names the cause; it arrives through a pipe, so wait for it.
    await nginx.stderrIncludes("auth request unexpected status: 502");
    assert.match(nginx.stderr(), /connect\(\) failed \(111: Connection refused\)[^\n]*subrequest: "\/_sigil\/verify"/);
    assert.match(nginx.stderr(), /auth request unexpected status: 502/);
  });
});

/**
 * Runs `act` (which revokes something) with a subscriber on Sigil's revocation feed, and resolves
 * once the subscriber has received a revocation.
 */
async function announced(sigil: TestServer, client: TestClient, act: () => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const response = await fetch(`${sigil.url}/revocations/feed`, {
    headers: { accept: "text/event-stream", authorization: client.authorization ?? "" },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const until = async (event: string): Promise<void> => {
    while (!text.includes(`event: ${event}\n`)) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the feed ended before a ${event} event`);
      text += value;
    }
  };
  try {
    await until("snapshot");
    text = "";
    await act();
    await until("revocation");
  } finally {
    controller.abort();
    await reader.cancel().catch(() => {});
  }
}

/** A new user's tokens, named as these tests use them. */
async function signIn(sigil: TestServer): Promise<{ userId: string; access: string; refresh: string }> {
  const session = await sigil.signIn();
  return { userId: session.user.id, access: session.accessToken, refresh: session.refreshToken };
}
