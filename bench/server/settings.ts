// What one `npm run bench:server` run does, and its two presets.

import { availableParallelism } from "node:os";

export type DatabaseKind = "pglite" | "postgres";

export interface ServerBenchSettings {
  /** Every measurement is repeated this many times; the report gives the median and the spread. */
  readonly rounds: number;
  /** Single argon2id verifies timed per round for the hash bound. */
  readonly verifyCount: number;
  /** Pre-registered accounts the login flood cycles through. */
  readonly users: number;
  /** autocannon connections of the login flood (a few per core, so hashing never idles). */
  readonly loginConnections: number;
  readonly loginMs: number;
  /** Parallel refresh chains (virtual clients, one session each) per database. */
  readonly refreshClients: number;
  readonly refreshMs: number;
  /** The userinfo latency probe: requests per second over all its connections. */
  readonly userinfoRate: number;
  readonly userinfoWorkers: number;
  readonly userinfoMs: number;
  /** The sign-in latency probe: sign-ins per second over all its connections (one device each). */
  readonly signInRate: number;
  readonly signInWorkers: number;
  readonly signInMs: number;
  /** Concurrent registrations of the registration flood (more than hashing slots, so hashing never idles). */
  readonly registrationConnections: number;
  /** Client addresses the registration flood is spread over. */
  readonly registrationAddresses: number;
  /** A flood runs this long before its probe starts, so hashing is saturated when it does. */
  readonly floodLeadMs: number;
  /** Warm-up of every load shape before the first round (JIT, connection pools, PGlite caches). */
  readonly warmupMs: number;
  /** Refresh is measured on each of these; login and userinfo on the first. */
  readonly databases: readonly DatabaseKind[];
}

const cores = availableParallelism();

export const DEFAULT_SETTINGS: ServerBenchSettings = {
  rounds: 3,
  verifyCount: 40,
  users: 64,
  loginConnections: 4 * cores,
  loginMs: 8000,
  refreshClients: 32,
  refreshMs: 5000,
  userinfoRate: 400,
  userinfoWorkers: 4,
  userinfoMs: 5000,
  signInRate: 40,
  signInWorkers: 2,
  signInMs: 5000,
  registrationConnections: 4 * cores,
  registrationAddresses: 1024,
  floodLeadMs: 1000,
  warmupMs: 1000,
  databases: ["pglite", "postgres"],
};

/** About 40 s: checks that everything runs; the numbers are indicative only. */
export const QUICK_SETTINGS: ServerBenchSettings = {
  ...DEFAULT_SETTINGS,
  rounds: 2,
  verifyCount: 15,
  users: 32,
  loginMs: 3000,
  refreshClients: 16,
  refreshMs: 2000,
  userinfoMs: 2000,
  signInMs: 2000,
  floodLeadMs: 500,
  warmupMs: 500,
};
