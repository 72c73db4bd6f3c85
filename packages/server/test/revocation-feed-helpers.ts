// Shared by the revocation feed and forward-auth tests: a real server, and a streaming
// Server-Sent Events reader over real HTTP.

import type { IncomingMessage, ServerResponse } from "node:http";
import { createClient } from "../src/clients/create-client.js";
import type { RevocationFeedHubOptions } from "../src/revocation-feed/index.js";
import { PATHS } from "../src/routes/paths.js";
import type { Database } from "../src/store/database.js";
import { insertRevocation, type NewRevocation } from "../src/store/revocations.js";
import { basicAuthorization, type FakeTime } from "../src/testing/index.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

export type FeedServer = TestServer;

/**
 * The real server with one hashing thread per instance (the multi-instance tests start several).
 * With `time`, the server's clock and timers are that fake's: the hub polls, beats and gives up
 * on gaps only when the test advances it, so whatever reaches a subscriber meanwhile came by NOTIFY.
 */
export function startFeedServer(
  db: Database,
  options: {
    hub?: Omit<RevocationFeedHubOptions, "logger" | "timers">;
    forwardAuthCookie?: string;
    time?: FakeTime;
  } = {},
): Promise<FeedServer> {
  const { heartbeatSeconds, now, ...hub } = options.hub ?? {};
  const clock = now ?? options.time?.clock;
  return startTestServer(db, {
    config: {
      hashConcurrency: 1,
      feedHeartbeatSeconds: heartbeatSeconds ?? 5,
      ...(options.forwardAuthCookie !== undefined ? { forwardAuthCookie: options.forwardAuthCookie } : {}),
    },
    revocationFeed: hub,
    ...(clock !== undefined ? { now: clock } : {}),
    ...(options.time !== undefined ? { timers: options.time.timers } : {}),
  });
}

/**
 * Resolves when the server has closed the response of the next feed request it receives (the
 * hub forgets the subscriber in a listener of that same event, registered after this one).
 */
export function serverSideClose(server: FeedServer): Promise<void> {
  return new Promise((resolve) => {
    const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
      if (!request.url?.startsWith(PATHS.revocationFeed)) return;
      server.app.server.off("request", onRequest);
      response.once("close", () => setImmediate(resolve));
    };
    server.app.server.on("request", onRequest);
  });
}

/** A registered confidential client and its Basic Authorization header. */
export async function createFeedClient(db: Database): Promise<{ id: string; authorization: string }> {
  const { client, secret } = await createClient(db, {
    name: "verifier",
    grantTypes: ["client_credentials"],
    permissions: ["revocation-feed", "introspection"],
  });
  if (secret === null) throw new Error("no secret");
  return { id: client.id, authorization: basicAuthorization(client.id, secret) };
}

/** Writes one revocation row the way the auth layer does (NOTIFY on commit); returns its id. */
export async function revoke(
  db: Database,
  row: { kind: "session"; sessionId: string } | { kind: "user_before"; userId: string; beforeTime: Date },
  options: { expiresInSeconds?: number; now?: Date } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (options.expiresInSeconds ?? 930) * 1000);
  const revocation: NewRevocation =
    row.kind === "session"
      ? { kind: "session", sessionId: row.sessionId, userId: "u-feed", reason: "logout", now, expiresAt }
      : { kind: "user_before", userId: row.userId, beforeTime: row.beforeTime, reason: "logout_all", now, expiresAt };
  return Number(await db.transaction((tx) => insertRevocation(tx, revocation)));
}

export interface ReceivedEvent {
  event: string;
  id: string | undefined;
  data: string;
}

export interface FeedConnection {
  status: number;
  headers: Headers;
  /** The body when the answer was not a stream. */
  body: unknown;
  events: ReceivedEvent[];
  retry: number | undefined;
  /**
   * Resolves with the first event (from `from` on) matching. Rejects after `timeoutMs` (default
   * 60 s), which only turns a lost event into a failure: nothing is asserted about how long it took.
   */
  waitFor(
    match: (event: ReceivedEvent) => boolean,
    options?: { timeoutMs?: number; from?: number },
  ): Promise<ReceivedEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens the feed with fetch and parses the SSE stream as it arrives (a minimal §9.2.6 parser). */
export async function openFeed(
  url: string,
  options: { authorization?: string; lastEventId?: string } = {},
): Promise<FeedConnection> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (options.authorization) headers.authorization = options.authorization;
  if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
  const response = await fetch(url + PATHS.revocationFeed, { headers, signal: controller.signal });
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  const connection: FeedConnection = {
    status: response.status,
    headers: response.headers,
    body: undefined,
    events,
    retry: undefined,
    waitFor(match, { timeoutMs = 60_000, from = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = events.slice(from).find(match);
          if (found) {
            waiters.delete(check as () => void);
            clearTimeout(timer);
            resolve(found);
          }
          return found !== undefined;
        };
        const timer = setTimeout(() => {
          waiters.delete(check as () => void);
          reject(
            new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check as () => void);
      });
    },
    ended: Promise.resolve(),
    close: () => controller.abort(),
  };
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream") || !response.body) {
    connection.body = await response.json().catch(() => null);
    return connection;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  connection.ended = (async () => {
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = { event: "message", id: undefined as string | undefined, data: [] as string[] };
          for (const line of block.split("\n")) {
            const colon = line.indexOf(":");
            const name = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (name === "event") fields.event = value;
            else if (name === "id") fields.id = value;
            else if (name === "data") fields.data.push(value);
            else if (name === "retry") connection.retry = Number(value);
          }
          if (fields.data.length > 0) {
            events.push({ event: fields.event, id: fields.id, data: fields.data.join("\n") });
            for (const waiter of [...waiters]) waiter();
          }
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return connection;
}
