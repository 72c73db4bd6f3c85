// Accounts and sessions the measurements start from, created through the public API (so the
// stored hashes are exactly what the server makes). Work is spread over a few connections,
// each request bounded by the client's timeout.

import { randomBytes } from "node:crypto";
import { HttpClient } from "./http-client.js";

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Runs `count` jobs over `parallel` clients; the first failure stops the rest. */
async function inParallel(
  baseUrl: string,
  count: number,
  parallel: number,
  job: (index: number, client: HttpClient) => Promise<void>,
): Promise<void> {
  let nextIndex = 0;
  const lane = async (): Promise<void> => {
    const client = new HttpClient(baseUrl);
    try {
      while (nextIndex < count) await job(nextIndex++, client);
    } finally {
      client.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, count)) }, lane));
}

/** Registers `count` users with distinct random passwords (unique per run, never in a blocklist). */
export async function registerUsers(baseUrl: string, count: number, parallel: number): Promise<Credentials[]> {
  const run = randomBytes(4).toString("hex");
  const users = Array.from({ length: count }, (_, i) => ({
    email: `bench-${run}-${i}@example.com`,
    password: `bench ${randomBytes(12).toString("base64url")}`,
  }));
  await inParallel(baseUrl, count, parallel, async (i, client) => {
    const response = await client.send({ method: "POST", path: "/auth/register", json: users[i] });
    if (response.status !== 202) throw new Error(`register answered ${response.status}: ${response.body}`);
  });
  return users;
}

/** Logs in `count` times, cycling through `users`: one session (and token chain) each. */
export async function startSessions(
  baseUrl: string,
  users: readonly Credentials[],
  count: number,
  parallel: number,
): Promise<Session[]> {
  const sessions: Session[] = new Array(count);
  await inParallel(baseUrl, count, parallel, async (i, client) => {
    const response = await client.send({ method: "POST", path: "/auth/login", json: users[i % users.length] });
    if (response.status !== 200) throw new Error(`login answered ${response.status}: ${response.body}`);
    const body = JSON.parse(response.body) as { access_token: string; refresh_token: string };
    sessions[i] = { accessToken: body.access_token, refreshToken: body.refresh_token };
  });
  return sessions;
}
