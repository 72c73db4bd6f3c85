// The human-readable report of bench:server (the --json report carries the same numbers).

import { type Column, formatPct, renderTable } from "../lib/format.js";
import type { SampleSummary } from "../lib/stats.js";
import type { ServerBenchReport } from "./bench.js";

const COLUMNS: readonly Column[] = [
  { title: "measurement", align: "left" },
  { title: "median", align: "right" },
  { title: "min", align: "right" },
  { title: "max", align: "right" },
  { title: "spread", align: "right" },
];

function row(label: string, summary: SampleSummary | null, digits: number): string[] {
  if (summary === null) return [label, "—", "", "", ""];
  const f = (value: number): string => value.toFixed(digits);
  return [label, f(summary.median), f(summary.min), f(summary.max), formatPct(summary.spreadPct)];
}

export function renderTextReport(report: ServerBenchReport): string {
  const { machine, results, settings, server } = report;
  const { login, userinfo, signIn } = results;
  const rows: string[][] = [
    row("argon2id verify, one at a time (ms)", login.verifyMs, 2),
    row("  of which blocks the event loop (ms)", login.verifyBlockingMs, 3),
    row(`hash bound: ${login.cores} cores / verify (logins/s)`, login.boundLoginsPerSec, 0),
    row(`login flood, c=${settings.loginConnections} (logins/s)`, login.loginsPerSec, 0),
    row("  ÷ bound", login.ratioToBound, 3),
    row(`argon2id, ${login.cores} in parallel, now (verifies/s)`, login.parallelVerifiesPerSec, 0),
    row("  logins ÷ that", login.ratioToParallelVerify, 3),
    row("hasher: unknown email ÷ wrong password (dummy verify ÷ verify)", login.unknownEmailRatio, 2),
    row("server main-thread CPU per login (ms)", login.mainThreadMsPerLogin, 2),
    row("server other-threads CPU per login (ms)", login.otherThreadsMsPerLogin, 2),
    row("server cores busy during flood", login.serverCoresBusy, 2),
    row("  ceiling ÷ bound, all cores: verify ÷ server CPU/login", login.cpuCeiling, 3),
    row(
      `  ceiling ÷ bound, ${login.hashConcurrency} hash thread(s) of ${login.cores} cores`,
      login.hashThreadsCeiling,
      3,
    ),
    row(`userinfo p50 idle (ms, ${userinfo.ratePerSec} req/s)`, userinfo.idleP50Ms, 2),
    row("userinfo p99 idle (ms)", userinfo.idleP99Ms, 2),
    row("userinfo p50 during login flood (ms)", userinfo.floodP50Ms, 2),
    row("userinfo p99 during login flood (ms)", userinfo.floodP99Ms, 2),
    row("  p99 ÷ idle p99", userinfo.p99Ratio, 2),
    row("  flood meanwhile (logins/s)", userinfo.floodLoginsPerSec, 0),
    row(`sign-in p50 idle (ms, ${signIn.ratePerSec} req/s)`, signIn.idleP50Ms, 2),
    row("sign-in p99 idle (ms)", signIn.idleP99Ms, 2),
    row(`sign-in p50 during registration flood, c=${settings.registrationConnections} (ms)`, signIn.floodP50Ms, 2),
    row("sign-in p99 during registration flood (ms)", signIn.floodP99Ms, 2),
    row("  p99 ÷ idle p99", signIn.p99Ratio, 2),
    row("  p50 ÷ idle p50 (no target)", signIn.p50Ratio, 2),
    row("  flood meanwhile (registrations accepted/s)", signIn.floodRegistrationsPerSec, 0),
  ];
  for (const r of results.refresh) {
    const label = `refresh ${r.database}, ${settings.refreshClients} chains`;
    if (r.skipped !== null) {
      rows.push([`${label}: skipped (${r.skipped.slice(0, 60)})`, "—", "", "", ""]);
      continue;
    }
    rows.push(row(`${label} (req/s)`, r.reqPerSec, 0), row("  p50 (ms)", r.p50Ms, 2), row("  p99 (ms)", r.p99Ms, 2));
  }
  const lines = [
    `bench:server — ${machine.cores} × ${machine.cpuModel}, ${machine.totalMemMiB} MiB, ${machine.platform}, ` +
      `node ${machine.node}, load avg ${machine.loadAvg1m.toFixed(2)} at start`,
    // UV_THREADPOOL_SIZE is libuv's pool (file I/O, DNS, the calibration's raw verifies); logins
    // hash on the server's own worker threads. The wording stays so reports compare line for line.
    `server: ${server.database}; hash concurrency ${server.hashConcurrency} (UV_THREADPOOL_SIZE=${server.uvThreadpoolSize}); ` +
      `${settings.rounds} rounds; packages ${Object.entries(report.packages)
        .map(([name, version]) => `${name} ${version}`)
        .join(", ")}`,
    "",
    renderTable(COLUMNS, rows),
    "",
    `failures: login non-2xx ${login.non2xx}, errors ${login.errors}; userinfo ${userinfo.failed}; ` +
      `sign-in ${signIn.failed}; ` +
      results.refresh.map((r) => `refresh ${r.database} ${r.failed}`).join(", "),
    `registration floods (${settings.registrationAddresses} addresses): ${signIn.registrations.accepted} accepted, ` +
      `${signIn.registrations.refused429} refused 429 (quota), ${signIn.registrations.refused503} refused 503 ` +
      `(hash queue full), ${signIn.registrations.other} other`,
    "",
    "targets:",
    ...report.targets.items.map(
      (t) => `  ${t.pass === null ? "n/a " : t.pass ? "PASS" : "FAIL"}  ${t.name}: ${t.detail}`,
    ),
  ];
  return lines.join("\n");
}
