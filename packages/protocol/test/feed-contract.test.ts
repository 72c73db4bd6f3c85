// The revocation feed's contract, on the protocol's side: every wire case of
// @sigil/protocol/testing is read or refused as docs/revocation-feed.md says, what the server's
// formatters write reads back unchanged, and the RevocationIndex gives every token its verdict.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  createSSEParser,
  type RevocationEntry,
  RevocationIndex,
  readFeedEvent,
  revocationEvent,
  type ServerSentEvent,
  serializeRevocationEntry,
  snapshotEvent,
} from "../src/index.js";
import {
  ACCEPTED_EVENTS,
  FIXTURE_NOW,
  REFUSED_EVENTS,
  toEventStream,
  VERDICT_SCENARIOS,
  type VerdictScenario,
} from "../src/testing/index.js";

function dispatch(text: string): ServerSentEvent[] {
  const events: ServerSentEvent[] = [];
  const parser = createSSEParser({ onEvent: (event) => events.push(event) });
  parser.push(Buffer.from(text));
  parser.end();
  return events;
}

describe("feed contract: refused events", () => {
  for (const { name, event } of REFUSED_EVENTS) {
    test(name, () => {
      assert.throws(() => readFeedEvent(event), TypeError);
    });
  }
});

describe("feed contract: accepted events", () => {
  for (const { name, event, expected } of ACCEPTED_EVENTS) {
    test(name, () => {
      assert.deepEqual(readFeedEvent(event), expected);
    });
  }
});

describe("feed contract: the fixtures on the wire", () => {
  test("every case written as text/event-stream is dispatched as itself", () => {
    for (const { name, event } of [...REFUSED_EVENTS, ...ACCEPTED_EVENTS]) {
      assert.deepEqual(dispatch(toEventStream(event)), [event], name);
    }
  });

  test("what the server's formatters write reads back unchanged", () => {
    const entries: RevocationEntry[] = [];
    for (const { expected } of ACCEPTED_EVENTS) {
      if (expected.type === "revocation") entries.push(expected.entry);
      if (expected.type === "snapshot") entries.push(...expected.snapshot.revocations);
    }
    const lastEventId = Math.max(...entries.map((entry) => entry.id));
    const array = `[${entries.map(serializeRevocationEntry).join(",")}]`;
    const text =
      snapshotEvent(lastEventId, array, FIXTURE_NOW * 1000) +
      entries.map((entry) => revocationEvent(entry.id, serializeRevocationEntry(entry))).join("");
    const [snapshot, ...revocations] = dispatch(text).map(readFeedEvent);
    assert.deepEqual(snapshot, { type: "snapshot", snapshot: { lastEventId, revocations: entries } });
    assert.deepEqual(
      revocations,
      entries.map((entry) => ({ type: "revocation", entry })),
    );
  });
});

/** The index as a verifier holds it after applying `entries` in this order and sweeping at `now`. */
function indexOf(scenario: VerdictScenario, entries: readonly RevocationEntry[]): RevocationIndex {
  const index = new RevocationIndex();
  for (const entry of entries) index.add(entry);
  index.sweep(scenario.now);
  return index;
}

describe("feed contract: the revocation rule (RevocationIndex)", () => {
  for (const scenario of VERDICT_SCENARIOS) {
    test(scenario.name, () => {
      const orders = {
        "as given": indexOf(scenario, scenario.entries),
        reversed: indexOf(scenario, [...scenario.entries].reverse()),
        "as a snapshot": (() => {
          const index = new RevocationIndex();
          index.replace(scenario.entries);
          index.sweep(scenario.now);
          return index;
        })(),
      };
      for (const [order, index] of Object.entries(orders)) {
        for (const { name, token, expected } of scenario.cases) {
          assert.equal(index.isRevoked(token), expected, `${name} (entries ${order})`);
        }
      }
    });
  }
});
