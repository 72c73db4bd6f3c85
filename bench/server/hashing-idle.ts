// Waits for the server's hasher to finish what a flood left behind. A stopped load generator
// closes its connections, but the server still hashes every request it had already taken (up to
// one per flood connection): an "idle" probe started at once would time its first answers behind
// that backlog, which on a loaded machine is hundreds of ms and lands in the idle p99.

import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { HttpClient } from "./http-client.js";

const POLL_MS = 20;

/** The gauges of GET /metrics that say how much hashing is waiting and running. */
const GAUGE = /^sigil_password_hash_(queue_depth|active) (\d+)$/gm;

/**
 * Polls GET /metrics until no password hash is waiting or running, at most `timeoutMs`.
 * Returns how long that took (ms), or null if hashing was still busy at the deadline.
 */
export async function waitForIdleHashing(baseUrl: string, timeoutMs: number): Promise<number | null> {
  const client = new HttpClient(baseUrl);
  const started = performance.now();
  try {
    while (performance.now() - started < timeoutMs) {
      const response = await client.send({ method: "GET", path: "/metrics" });
      if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
      const gauges = [...response.body.matchAll(GAUGE)];
      if (gauges.length !== 2) throw new Error("GET /metrics has no password-hash gauges");
      if (gauges.every((match) => match[2] === "0")) return performance.now() - started;
      await sleep(POLL_MS);
    }
    return null;
  } finally {
    client.close();
  }
}
