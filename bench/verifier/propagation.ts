// Revocation propagation: N rounds of login → all probes accept → POST /auth/logout → the time
// from the logout response until every probe refuses the token (max over probes).

import { join } from "node:path";
import { type BenchChild, forkChild } from "./children.js";

export interface AuthServerInfo {
  readonly url: string;
  readonly feedUrl: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface PropagationSettings {
  readonly probes: number;
  readonly rounds: number;
}

export interface PropagationResult {
  readonly probes: number;
  readonly rounds: number;
  /** Per round, the latency until ALL probes refused, ms (negative: already refused everywhere when the response arrived). */
  readonly allProbesMs: readonly number[];
  /** Per round and probe, ms. */
  readonly perProbeMs: readonly number[];
  /** Every refusal was TOKEN_REVOKED (not a stale mirror, not a timeout). */
  readonly codes: Readonly<Record<string, number>>;
}

const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

interface Revoked {
  type: "revoked";
  round: number;
  at: number;
  code: string;
}

async function post(url: string, init: { body?: object; token?: string }): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.body) headers["content-type"] = "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  return fetch(url, {
    method: "POST",
    headers,
    body: init.body ? JSON.stringify(init.body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
}

export async function measurePropagation(
  auth: AuthServerInfo,
  settings: PropagationSettings,
  log: (line: string) => void,
): Promise<PropagationResult> {
  const credentials = { email: "propagation@bench.test", password: "every verifier hears of it 1" };
  const registered = await post(`${auth.url}/auth/register`, { body: credentials });
  if (registered.status !== 202) {
    throw new Error(`register: HTTP ${registered.status} ${await registered.text()}`);
  }
  const probes: BenchChild[] = [];
  try {
    for (let i = 0; i < settings.probes; i++) {
      probes.push(
        forkChild(join(import.meta.dirname, "probe-main.ts"), {
          env: {
            BENCH_PROBE: JSON.stringify({
              issuer: auth.issuer,
              clientId: auth.clientId,
              clientSecret: auth.clientSecret,
            }),
          },
        }),
      );
    }
    await Promise.all(probes.map((probe) => probe.next("ready", 30_000)));
    log(`propagation: ${settings.probes} verifier processes subscribed; ${settings.rounds} rounds`);
    const allProbesMs: number[] = [];
    const perProbeMs: number[] = [];
    const codes: Record<string, number> = {};
    for (let round = 0; round < settings.rounds; round++) {
      const login = await post(`${auth.url}/auth/login`, { body: credentials });
      if (login.status !== 200) throw new Error(`login: HTTP ${login.status} ${await login.text()}`);
      const token = ((await login.json()) as { access_token: string }).access_token;
      const accepted = probes.map((probe) =>
        probe.next<{ type: string; ok: boolean; code?: string }>("accepted", 5000),
      );
      for (const probe of probes) probe.send({ type: "watch", round, token });
      for (const answer of await Promise.all(accepted)) {
        if (!answer.ok) throw new Error(`round ${round}: a probe refused a fresh token (${answer.code})`);
      }
      const revoked = probes.map((probe) => probe.next<Revoked>("revoked", 10_000));
      const logout = await post(`${auth.url}/auth/logout`, { token });
      const answeredAt = monotonicMs();
      if (logout.status !== 204) throw new Error(`logout: HTTP ${logout.status}`);
      const reports = await Promise.all(revoked);
      let worst = Number.NEGATIVE_INFINITY;
      for (const report of reports) {
        codes[report.code] = (codes[report.code] ?? 0) + 1;
        const latency = report.at - answeredAt;
        perProbeMs.push(latency);
        worst = Math.max(worst, latency);
      }
      allProbesMs.push(worst);
    }
    return { probes: settings.probes, rounds: settings.rounds, allProbesMs, perProbeMs, codes };
  } finally {
    await Promise.all(probes.map((probe) => probe.stop()));
  }
}
