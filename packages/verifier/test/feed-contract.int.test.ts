// The revocation feed's contract, on the verifier's side: the wire cases of
// @sigil/protocol/testing, served over real HTTP by the fake auth server, drive
// createAccessTokenVerifier (its feed client and mirror) — every accepted event is applied, every
// refused one ends the connection with nothing of it applied and without counting as a sign of
// life, and every token of the verdict scenarios gets its verdict (docs/revocation-feed.md).
import assert from "node:assert/strict";
import { sign } from "node:crypto";
import { after, afterEach, before, describe, test } from "node:test";
import { isJWTError, type JWTPayload, signJWT } from "@sigil/jwt";
import { type RevocationEntry, RevocationIndex, serializeRevocationEntry } from "@sigil/protocol";
import {
  ACCEPTED_EVENTS,
  FIXTURE_NOW,
  REFUSED_EVENTS,
  toEventStream,
  VERDICT_SCENARIOS,
  type VerdictToken,
} from "@sigil/protocol/testing";
import { type AccessTokenVerifier, createAccessTokenVerifier, isVerifierError } from "../src/index.js";
import { CLIENT_ID, CLIENT_SECRET, type FakeAuthServer, startFakeAuthServer } from "./fixtures/fake-auth-server.js";
import { createFeedProbe, type FeedProbe, type ProbedConnection } from "./fixtures/feed-probe.js";
import { AUDIENCE, createTestKey, type TestKey } from "./fixtures/tokens.js";

const NOW_MS = FIXTURE_NOW * 1000;
const STALE_AFTER_MS = 30_000;
const TOKEN_EXP = FIXTURE_NOW + 600;

let server: FakeAuthServer;
let key: TestKey;
const verifiers: AccessTokenVerifier[] = [];

before(async () => {
  server = await startFakeAuthServer();
  // The tests write every event themselves: after `retry:`, the server sends nothing of its own.
  server.feedMode = "silent";
  server.heartbeats = false;
  key = await createTestKey();
});
afterEach(() => {
  for (const verifier of verifiers.splice(0)) verifier.close();
  server.dropFeedConnections();
});
after(() => server.close());

interface Harness {
  verifier: AccessTokenVerifier;
  probe: FeedProbe;
  clock: { ms: number };
}

function startVerifier(): Harness {
  const probe = createFeedProbe();
  const clock = { ms: NOW_MS };
  const verifier = createAccessTokenVerifier({
    issuer: server.issuer,
    audience: AUDIENCE,
    algorithms: ["EdDSA"],
    keys: [key.pair.verification],
    revocation: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      feedUrl: server.feedUrl,
      staleAfterMs: STALE_AFTER_MS,
    },
    fetch: probe.fetch,
    now: () => clock.ms,
    logger: { warn() {} },
  });
  verifiers.push(verifier);
  return { verifier, probe, clock };
}

let markers = 0;

/** Writes events to the open feed and resolves once the verifier has handled them. */
async function send(connection: ProbedConnection, text: string): Promise<void> {
  const marker = `handled-${++markers}`;
  server.sendRaw(`${text}: ${marker}\n`);
  await connection.handled(marker);
}

function snapshotText(id: number, entries: readonly RevocationEntry[]): string {
  const array = `[${entries.map(serializeRevocationEntry).join(",")}]`;
  return toEventStream({ type: "snapshot", lastEventId: String(id), data: `{"revocations":${array},"now":${NOW_MS}}` });
}

function revocationText(entry: RevocationEntry): string {
  return toEventStream({ type: "revocation", lastEventId: String(entry.id), data: serializeRevocationEntry(entry) });
}

/**
 * A Sigil-shaped user access token with these claims, valid at FIXTURE_NOW. A user token always
 * names its session: a fixture without one gets a session of its own that nothing revokes, so
 * only the rule the fixture is about decides.
 */
function token(claims: JWTPayload): string {
  return signJWT(
    { iss: server.issuer, aud: AUDIENCE, client_id: "web", exp: TOKEN_EXP, sid: `s-own-${++markers}`, ...claims },
    key.pair.signing,
    { typ: "at+jwt" },
  );
}

/** The same, signed by hand: signJWT will not write a token without a numeric iat. */
function tokenWithoutNumericIat(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode({ alg: "EdDSA", typ: "at+jwt", kid: key.pair.kid })}.${encode({
    iss: server.issuer,
    aud: AUDIENCE,
    client_id: "web",
    exp: TOKEN_EXP,
    jti: `jti-${++markers}`,
    sid: `s-own-${markers}`,
    ...claims,
  })}`;
  return `${input}.${sign(null, Buffer.from(input), key.pair.privateKey).toString("base64url")}`;
}

/** "session" / "user" when the verifier refuses the token as revoked, null when it accepts it. */
function verdict(verifier: AccessTokenVerifier, jwt: string): "session" | "user" | null {
  try {
    verifier.verify(jwt);
    return null;
  } catch (error) {
    if (isVerifierError(error, "TOKEN_REVOKED") && error.details.revocation !== undefined) {
      return error.details.revocation;
    }
    throw error;
  }
}

const GUARD: RevocationEntry = { id: 10, kind: "session", sid: "s-guard", exp: FIXTURE_NOW + 930 };

describe("feed contract (verifier): every accepted event is applied", () => {
  for (const { name, event, expected } of ACCEPTED_EVENTS) {
    test(name, async () => {
      const { verifier, probe, clock } = startVerifier();
      const first = await probe.connection(0);
      let appliedId: number;
      if (expected.type === "snapshot") {
        await send(first, toEventStream(event));
        appliedId = expected.snapshot.lastEventId;
      } else if (expected.type === "revocation") {
        await send(first, snapshotText(expected.entry.id - 1, []));
        await send(first, toEventStream(event));
        appliedId = expected.entry.id;
      } else {
        // Heartbeats and events of other types apply nothing, but prove the stream alive.
        await send(first, snapshotText(1, []));
        clock.ms = NOW_MS + STALE_AFTER_MS;
        await send(first, toEventStream(event));
        clock.ms = NOW_MS + 2 * STALE_AFTER_MS;
        assert.equal(verdict(verifier, token({ sub: "u-probe", iat: FIXTURE_NOW })), null, "still fresh");
        clock.ms = NOW_MS;
        appliedId = 1;
      }
      const applied =
        expected.type === "snapshot"
          ? expected.snapshot.revocations
          : expected.type === "revocation"
            ? [expected.entry]
            : [];
      // Entries already past exp may be dropped at once: only live ones are probed.
      for (const entry of applied.filter((e) => e.exp > FIXTURE_NOW)) {
        if (entry.kind === "session") {
          assert.equal(verdict(verifier, token({ sub: "u-probe", sid: entry.sid, iat: FIXTURE_NOW })), "session");
        } else {
          assert.equal(verdict(verifier, token({ sub: entry.sub, sid: "s-probe", iat: entry.before - 1 })), "user");
          assert.equal(verdict(verifier, token({ sub: entry.sub, sid: "s-probe", iat: entry.before })), null);
        }
      }
      // The server ends the stream: the verifier comes back asking for what follows the event.
      server.dropFeedConnections();
      assert.equal((await probe.connection(1)).lastEventId, String(appliedId));
    });
  }
});

describe("feed contract (verifier): every refused event ends the connection, applying nothing", () => {
  for (const { name, event } of REFUSED_EVENTS) {
    test(name, async () => {
      const { verifier, probe, clock } = startVerifier();
      const first = await probe.connection(0);
      await send(first, snapshotText(GUARD.id, [GUARD]));
      clock.ms = NOW_MS + STALE_AFTER_MS; // the last moment the snapshot keeps the mirror fresh
      server.sendRaw(toEventStream(event));
      await first.ended;
      const second = await probe.connection(1);
      assert.equal(second.lastEventId, String(GUARD.id), "resumes after the last event applied");
      assert.equal(verdict(verifier, token({ sub: "u-guard", sid: GUARD.sid, iat: FIXTURE_NOW })), "session");
      // The refused event was no sign of life: one millisecond on, the mirror is stale and fails closed.
      clock.ms += 1;
      assert.throws(
        () => verifier.verify(token({ sub: "u-probe", iat: FIXTURE_NOW })),
        (error) => isVerifierError(error, "REVOCATION_STALE"),
      );
    });
  }

  test("a verifier whose first snapshot is refused never becomes fresh: every token is refused", async () => {
    const { verifier, probe } = startVerifier();
    const ready = assert.rejects(verifier.ready(), (error) => isVerifierError(error, "FEED_UNAVAILABLE"));
    const first = await probe.connection(0);
    const refused = REFUSED_EVENTS.find((c) => c.event.type === "snapshot");
    assert.ok(refused);
    server.sendRaw(toEventStream(refused.event));
    await first.ended;
    await ready;
    assert.equal((await probe.connection(1)).lastEventId, null, "nothing applied, nothing to resume from");
    assert.throws(
      () => verifier.verify(token({ sub: "u-probe", iat: FIXTURE_NOW })),
      (error) => isVerifierError(error, "REVOCATION_STALE"),
    );
  });
});

describe("feed contract (verifier): ordering", () => {
  test("a revocation at or below the last applied id is not applied again; a later one is", async () => {
    const { verifier, probe } = startVerifier();
    const first = await probe.connection(0);
    const exp = FIXTURE_NOW + 930;
    await send(first, snapshotText(20, []));
    await send(first, revocationText({ id: 20, kind: "session", sid: "s-20", exp }));
    await send(first, revocationText({ id: 19, kind: "session", sid: "s-19", exp }));
    await send(first, revocationText({ id: 21, kind: "session", sid: "s-21", exp }));
    assert.equal(verdict(verifier, token({ sub: "u", sid: "s-20", iat: FIXTURE_NOW })), null);
    assert.equal(verdict(verifier, token({ sub: "u", sid: "s-19", iat: FIXTURE_NOW })), null);
    assert.equal(verdict(verifier, token({ sub: "u", sid: "s-21", iat: FIXTURE_NOW })), "session");
  });

  test("a snapshot on an open stream replaces everything, even one with a lower id", async () => {
    const { verifier, probe } = startVerifier();
    const first = await probe.connection(0);
    const exp = FIXTURE_NOW + 930;
    await send(first, snapshotText(30, [{ id: 30, kind: "session", sid: "s-a", exp }]));
    await send(first, snapshotText(25, [{ id: 25, kind: "session", sid: "s-b", exp }]));
    assert.equal(verdict(verifier, token({ sub: "u", sid: "s-a", iat: FIXTURE_NOW })), null);
    assert.equal(verdict(verifier, token({ sub: "u", sid: "s-b", iat: FIXTURE_NOW })), "session");
    await send(first, revocationText({ id: 26, kind: "session", sid: "s-c", exp }));
    assert.equal(verdict(verifier, token({ sub: "u", sid: "s-c", iat: FIXTURE_NOW })), "session");
  });
});

describe("feed contract (verifier): every token gets its verdict", () => {
  for (const scenario of VERDICT_SCENARIOS) {
    const unswept = new RevocationIndex();
    for (const entry of scenario.entries) unswept.add(entry);
    const lastId = Math.max(0, ...scenario.entries.map((entry) => entry.id));
    const deliveries = {
      "in a snapshot": snapshotText(lastId, scenario.entries),
      "as revocations after an empty snapshot":
        snapshotText(0, []) +
        [...scenario.entries]
          .sort((a, b) => a.id - b.id)
          .map(revocationText)
          .join(""),
    };
    for (const [delivery, text] of Object.entries(deliveries)) {
      test(`${scenario.name}, ${delivery}`, async () => {
        const { verifier, probe, clock } = startVerifier();
        clock.ms = scenario.now * 1000;
        await send(await probe.connection(0), text);
        for (const { name, token: claims, expected } of scenario.cases) {
          if (claims.sid !== undefined && typeof claims.sid !== "string") {
            // A user token names its session with a string: anything else speaks for no one, and
            // the verifier refuses it before the revocation rule is consulted.
            assert.throws(
              () => verifier.verify(token(claims as VerdictToken & JWTPayload)),
              (error) => isVerifierError(error, "SUBJECT_NOT_ACCEPTED"),
              name,
            );
            continue;
          }
          if (typeof claims.iat !== "number") {
            // RFC 9068 §2.2 requires a numeric iat: the claim checks refuse such a token before
            // the revocation rule is consulted, whatever its verdict would be.
            assert.throws(
              () => verifier.verify(tokenWithoutNumericIat({ ...claims })),
              (error) => isJWTError(error, "CLAIM_MISSING") || isJWTError(error, "CLAIM_INVALID"),
              name,
            );
            continue;
          }
          const actual = verdict(verifier, token(claims as VerdictToken & JWTPayload));
          // An entry past its exp may still be held until the mirror's next sweep: then either
          // verdict conforms (every token it affects has expired anyway).
          const beforeSweep = unswept.isRevoked(claims);
          if (beforeSweep === expected) assert.equal(actual, expected, name);
          else assert.ok(actual === expected || actual === beforeSweep, `${name}: ${actual}`);
        }
      });
    }
  }
});
