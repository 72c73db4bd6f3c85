// POST /auth/login at a fixed, modest rate for one known account: a latency probe of sign-in,
// not a throughput test. Every attempt has the right password, comes from the probe's own
// address and carries the device token of an earlier sign-in, so its attempts count on its
// device (and are given back on success): the probe measures hashing, never throttling.

import { randomBytes } from "node:crypto";
import { type ClosedLoopResult, runClosedLoop } from "./closed-loop.js";
import { HttpClient } from "./http-client.js";
import type { Credentials } from "./seed.js";

/** The probe's client address: outside the registration flood's 10.1.0.0/16. */
const PROBE_ADDRESS = "10.2.0.1";

/** The probe's account and one device token per worker. */
export interface SignInProbeAccount {
  readonly credentials: Credentials;
  readonly deviceTokens: readonly string[];
}

export interface SignInProbeOptions {
  readonly baseUrl: string;
  readonly account: SignInProbeAccount;
  /** Requests per second over all workers. */
  readonly ratePerSec: number;
  readonly durationMs: number;
}

/** Registers the probe's own account and signs in once per worker for its device token. */
export async function prepareSignInProbe(baseUrl: string, workers: number): Promise<SignInProbeAccount> {
  const credentials = {
    email: `probe-${randomBytes(4).toString("hex")}@example.com`,
    password: `probe ${randomBytes(12).toString("base64url")}`,
  };
  const client = new HttpClient(baseUrl);
  const headers = { "x-forwarded-for": PROBE_ADDRESS };
  try {
    const registered = await client.send({ method: "POST", path: "/auth/register", headers, json: credentials });
    if (registered.status !== 202) throw new Error(`probe register answered ${registered.status}: ${registered.body}`);
    const deviceTokens: string[] = [];
    for (let i = 0; i < workers; i++) {
      const response = await client.send({ method: "POST", path: "/auth/login", headers, json: credentials });
      if (response.status !== 200) throw new Error(`probe login answered ${response.status}: ${response.body}`);
      deviceTokens.push((JSON.parse(response.body) as { device_token: string }).device_token);
    }
    return { credentials, deviceTokens };
  } finally {
    client.close();
  }
}

export function runSignInProbe(options: SignInProbeOptions): Promise<ClosedLoopResult> {
  const { credentials, deviceTokens } = options.account;
  if (deviceTokens.length === 0) throw new RangeError("the sign-in probe needs a device token per worker");
  const workers = deviceTokens.length;
  const intervalMs = (workers * 1000) / options.ratePerSec;
  const headers = { "x-forwarded-for": PROBE_ADDRESS };
  return runClosedLoop({
    baseUrl: options.baseUrl,
    workers,
    durationMs: options.durationMs,
    maxPerWorker: Math.ceil(options.durationMs / intervalMs) + 1,
    intervalMs,
    async step(worker, client) {
      const response = await client.send({
        method: "POST",
        path: "/auth/login",
        headers,
        json: { ...credentials, device_token: deviceTokens[worker] },
      });
      return { ok: response.status === 200, response };
    },
  });
}
