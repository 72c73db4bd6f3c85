// docs/configuration.md states how often the revocation feed beats (SIGIL_FEED_HEARTBEAT). This
// ties that sentence to the behaviour: the loader's default is the documented one, and a hub
// given it — or left to its own default — writes a heartbeat exactly that often, on a mocked
// clock (nothing here waits for real time).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { loadConfig } from "../src/index.js";
import { RevocationFeedHub } from "../src/revocation-feed/index.js";
import type { Database, QueryResult } from "../src/store/database.js";

const docs = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");

/** The default column of the SIGIL_FEED_HEARTBEAT row, in seconds. */
function documentedHeartbeatSeconds(): number {
  const cell = /^\| `SIGIL_FEED_HEARTBEAT` \| ([^|]+) \|/m.exec(docs)?.[1]?.trim();
  const match = /^(\d+)(s|m)$/.exec(cell ?? "");
  assert.ok(match, `docs/configuration.md: a SIGIL_FEED_HEARTBEAT default like 5s (got ${cell})`);
  return Number(match[1]) * (match[2] === "m" ? 60 : 1);
}

/** A database with no revocations, answering at once: the hub's timers are all that matter here. */
function emptyDatabase(): Database {
  const empty: QueryResult<never> = { rows: [], rowCount: 0 };
  const query = async <Row>(): Promise<QueryResult<Row>> => empty as QueryResult<Row>;
  return {
    kind: "pglite",
    description: "an empty stand-in",
    query,
    transaction: (work) => work({ query }),
    listen: async () => async () => {},
    close: async () => {},
  };
}

/** A feed subscriber's socket that keeps what it is sent. */
function collectingSink(): { sink: Parameters<RevocationFeedHub["subscribe"]>[0]; heartbeats: () => number } {
  let text = "";
  const sink = {
    write: (chunk: string): boolean => {
      text += chunk;
      return true;
    },
    end: () => {},
    destroy: () => {},
    writableLength: 0,
    destroyed: false,
    once: () => {},
  };
  return { sink, heartbeats: () => text.split("event: heartbeat\n").length - 1 };
}

/** Lets the hub's finished tasks schedule their next run (promise callbacks, no real time). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

test("the documented SIGIL_FEED_HEARTBEAT default is the loader's, and the feed beats that often", async (t) => {
  const seconds = documentedHeartbeatSeconds();
  const config = loadConfig({});
  assert.equal(config.feedHeartbeatSeconds, seconds, "loadConfig's default is the documented one");

  t.mock.timers.enable({ apis: ["setTimeout"] });
  for (const options of [{ heartbeatSeconds: config.feedHeartbeatSeconds }, {}]) {
    const hub = await RevocationFeedHub.start(emptyDatabase(), { ...options, now: () => 0 });
    try {
      const { sink, heartbeats } = collectingSink();
      hub.subscribe(sink);
      for (let beat = 1; beat <= 3; beat++) {
        t.mock.timers.tick(seconds * 1000 - 1);
        await settle();
        assert.equal(heartbeats(), beat - 1, `${JSON.stringify(options)}: no heartbeat ${beat} before ${seconds} s`);
        t.mock.timers.tick(1);
        await settle();
        assert.equal(heartbeats(), beat, `${JSON.stringify(options)}: heartbeat ${beat} after ${seconds} s`);
      }
    } finally {
      await hub.stop();
    }
  }
});
