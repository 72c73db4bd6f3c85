// Key rotation under traffic, against the REAL auth server: fresh tokens from /auth/refresh keep
// flowing through a @sigil/verifier on the server's remote JWKS while the server rotates its
// signing key. No valid token may be rejected — the failure other auth servers show when a
// verifier's JWKS cache is stale at the moment the new key starts signing.
//
// Timeline. The server publishes a new key publishLeadMs = jwksMaxAge + one reload interval
// + a 60 s margin before it signs with it (packages/server/src/keys/key-timeline.ts). With
// SIGIL_JWKS_MAX_AGE = 1 s the verifier refreshes every ~0.9 s (its minRefreshMs is lowered from
// 30 s so that max-age governs). Traffic runs throughout, in phases that end on counts, not on
// time: tokens of the old key, then the rotation; then one max-age of the verifier's own time
// (its timers are fake: its refresh falls due and is answered); then the shared clock of server
// and verifier skips the idle part of the lead (a jump of publishLeadMs), and traffic goes on
// until tokens of the new key have been verified. A verifier that had not refreshed within one
// max-age would fail the first new-kid token synchronously with KEY_NOT_FOUND: a rejection this
// test counts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { publishLeadMs } from "@sigil/server";
import { call, describeEachDatabase, startTestServer, type TestServer } from "@sigil/server/testing";
import { createAccessTokenVerifier } from "../src/index.js";
import type { AccessTokenVerifier } from "../src/verifier-types.js";
import { Changes, type FetchProbe, probeFetch } from "./fixtures/changes.js";
import { FakeTime } from "./fixtures/fake-time.js";

const WORKERS = 4;
/** Verifications in each phase before the next step. */
const PER_PHASE = 200;

function kidOf(token: string): string {
  const header = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString());
  return String(header.kid);
}

describeEachDatabase("key rotation under load (real server, remote JWKS)", (getDb) => {
  let offset = 0;
  const now = (): number => Date.now() + offset;
  let server: TestServer;
  let verifier: AccessTokenVerifier;
  let verifierTime: FakeTime;
  let probe: FetchProbe;

  before(async () => {
    offset = 0;
    server = await startTestServer({ database: getDb(), now, config: { jwksMaxAge: 1 } });
    verifierTime = new FakeTime(0);
    probe = probeFetch();
    verifier = createAccessTokenVerifier({
      issuer: server.config.issuer,
      audience: server.config.audience,
      algorithms: ["EdDSA"],
      jwksUri: `${server.url}/.well-known/jwks.json`,
      jwks: { minRefreshMs: 100 },
      revocation: false,
      fetch: probe.fetch,
      now,
      timers: verifierTime.timers,
    });
    await verifier.ready();
  });
  after(async () => {
    verifier?.close();
    await server?.close();
  });

  test("traffic through a rotation: zero rejections, tokens of both keys verified", async () => {
    assert.equal(server.config.signingAlg, "EdDSA");
    const jwks = await call(server, "GET", "/.well-known/jwks.json");
    assert.equal(jwks.headers.get("cache-control"), "public, max-age=1");
    const users = await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        const session = await server.signIn();
        return { access: session.accessToken, refresh: session.refreshToken };
      }),
    );
    const firstToken = users[0]?.access ?? "";
    const oldKid = kidOf(firstToken);

    const rejections: string[] = [];
    const verifiedKids = new Map<string, number>();
    const progress = new Changes();
    let verifications = 0;
    let refreshes = 0;
    let done = false;
    const running = (): boolean => !done && rejections.length === 0;

    const check = (token: string): void => {
      verifications++;
      try {
        const verified = verifier.verify(token);
        const kid = String(verified.header.kid);
        verifiedKids.set(kid, (verifiedKids.get(kid) ?? 0) + 1);
      } catch (error) {
        rejections.push(`${(error as { code?: string }).code ?? String(error)} (kid ${kidOf(token)})`);
      }
      progress.notify();
    };
    /** Resolves once `count` more verifications have run (or a token was rejected). */
    const traffic = (count: number, what: string): Promise<void> => {
      const target = verifications + count;
      return progress.until(() => verifications >= target || rejections.length > 0, what);
    };

    // Each worker: refresh (a fresh access token, signed with whatever key signs now), verify it,
    // and re-verify the tokens it got earlier (older keys must keep verifying until they expire).
    const worker = async (user: { access: string; refresh: string }): Promise<void> => {
      let refreshToken = user.refresh;
      const held: string[] = [user.access];
      while (running()) {
        const response = await call(server, "POST", "/auth/refresh", { json: { refresh_token: refreshToken } });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        refreshes++;
        refreshToken = response.body.refresh_token;
        held.push(response.body.access_token);
        if (held.length > 4) held.splice(1, 1); // keep the pre-rotation token and the 3 newest
        for (const token of held) check(token);
      }
    };

    // The rotation, in phases: old-key traffic; publish the new key; one JWKS max-age of the
    // verifier's time, its refresh answered; the clock past the publish lead; new-key traffic.
    let beforeRotation = 0;
    let afterJump = 0;
    const rotation = (async (): Promise<void> => {
      try {
        await traffic(PER_PHASE, "traffic before the rotation");
        beforeRotation = verifications;
        await server.context.keys.rotate();
        await traffic(PER_PHASE, "traffic after the new key is published");
        await verifierTime.advance(server.config.jwksMaxAge * 1000);
        await probe.idle();
        offset += publishLeadMs(server.config) + 1000;
        afterJump = verifications;
        await progress.until(
          () => (verifiedKids.get(server.context.keys.signingKey().kid) ?? 0) >= PER_PHASE || rejections.length > 0,
          "tokens of the new key verified",
        );
      } finally {
        done = true;
      }
    })();

    await Promise.all([rotation, ...users.map(worker)]);

    const newKid = server.context.keys.signingKey().kid;
    assert.notEqual(newKid, oldKid, "the server signs with a new key after the lead");
    assert.deepEqual(rejections, [], `${rejections.length} of ${verifications} valid tokens rejected`);
    const summary = `${verifications} verifications, ${refreshes} refreshes; by kid: ${JSON.stringify([...verifiedKids])}`;
    assert.ok(verifiedKids.size >= 2, summary);
    assert.ok((verifiedKids.get(oldKid) ?? 0) > 0, "tokens of the old key verified");
    assert.ok((verifiedKids.get(newKid) ?? 0) > 0, "tokens of the new key verified");
    assert.ok(refreshes > 20, `${refreshes} refreshes`);
    assert.ok(beforeRotation > 0 && verifications > afterJump, "traffic before the rotation and after the jump");
    // The new key arrived by the scheduled refresh, not by an unknown-kid refetch after a failure.
    assert.deepEqual(verifier.stats().rejectionsByCode, {});
    assert.ok(verifier.stats().jwksVersion >= 2, "the verifier installed the rotated key set");
  });
});
