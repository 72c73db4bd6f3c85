// keepDiscovering on fake timers: retries at 1 s, 2 s, 4 s, … up to maxDelayMs, until the issuer's
// metadata is served; cancel() stops it. The fetch is a stand-in: no network is involved.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type FetchFunction, keepDiscovering } from "../src/index.js";
import { FakeTime } from "./fixtures/fake-time.js";

const ISSUER = "https://auth.example.test";

/** A fetch that answers 503 until `up` is set, then the issuer's metadata. */
function flakyMetadata(): { fetch: FetchFunction; up: boolean; requests: number } {
  const state = {
    up: false,
    requests: 0,
    fetch: (async () => {
      state.requests++;
      if (!state.up) return new Response("{}", { status: 503 });
      return Response.json({ issuer: ISSUER, jwks_uri: `${ISSUER}/jwks.json` });
    }) as FetchFunction,
  };
  return state;
}

test("keepDiscovering retries with a doubling delay capped at maxDelayMs, and resolves once the metadata is served", async () => {
  const time = new FakeTime(0);
  const server = flakyMetadata();
  const failures: number[] = [];
  const discovery = keepDiscovering(ISSUER, {
    fetch: server.fetch,
    timers: time.timers,
    maxDelayMs: 5000,
    onFailure: (_error, attempt) => failures.push(attempt),
  });
  let metadata: unknown;
  void discovery.metadata.then((value) => {
    metadata = value;
  });
  const retryArmed = (attempts: number) => (): boolean =>
    failures.length === attempts && time.pendingDelays().length === 1;
  const delays: number[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    await time.until(retryArmed(attempt + 1), `attempt ${attempt} failed and its retry armed`);
    delays.push(await time.advanceToNext());
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 5000, 5000]);
  await time.until(retryArmed(6), "attempt 5 failed and its retry armed");
  server.up = true;
  await time.advanceToNext();
  await discovery.metadata;
  assert.deepEqual(metadata, {
    issuer: ISSUER,
    jwks_uri: `${ISSUER}/jwks.json`,
    introspection_endpoint: undefined,
    sigil_revocation_feed_endpoint: undefined,
  });
  assert.deepEqual(time.pendingDelays(), [], "no retry once found");
});

test("a cancelled discovery arms no further retry", async () => {
  const time = new FakeTime(0);
  const server = flakyMetadata();
  let failures = 0;
  const discovery = keepDiscovering(ISSUER, {
    fetch: server.fetch,
    timers: time.timers,
    onFailure: () => {
      failures++;
    },
  });
  await time.until(() => failures === 1 && time.pendingDelays().length === 1, "the first retry armed");
  discovery.cancel();
  assert.deepEqual(time.pendingDelays(), []);
  await time.advance(60_000);
  assert.equal(failures, 1);
});
