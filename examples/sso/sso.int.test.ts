// The README walk, automated: the three processes are started exactly as `npm run example:sso`
// starts them (on free ports, in a temporary data directory), then: log in once, call both
// services, log out, and check that each service refuses the token; stop the auth server, and
// check that each fails closed once its mirror is stale. How fast a logout reaches a verifier is
// measured by bench:verifier (revocation propagation), not here: this test waits for what the
// processes print and for real answers, never for an amount of time.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "@sigil/server/testing";

const ROOT = join(import.meta.dirname, "..", "..");
const README = join(import.meta.dirname, "README.md");
// Long enough that "right after the auth server stops" is well inside it even on a loaded machine
// (the last heartbeat is at most 1 s old then); the test waits for the STALE log lines, not for it.
const STALE_AFTER_MS = 5000;
const STOP_TIMEOUT_MS = 7000;
/** Only turns something that never happens into a failure instead of a hang; nothing is timed against it. */
const SAFETY_MS = 120_000;
const USER = { email: "ada@example.com", password: "correct horse battery staple" };

interface RunningExample {
  launcher: ChildProcess;
  /** Everything the three processes printed so far. */
  output: () => string;
  /** Resolves once `check(output)` holds, re-checked as each piece of output arrives. */
  printed: (what: string, check: (output: string) => boolean) => Promise<void>;
}

/** Starts the launcher like the npm script does; `output` collects everything the three processes print. */
function startExample(env: NodeJS.ProcessEnv): RunningExample {
  const { NODE_TEST_CONTEXT: _, ...parentEnv } = process.env;
  const launcher = spawn(process.execPath, ["--conditions=sigil-source", "--import", "tsx", "examples/sso/start.ts"], {
    cwd: ROOT,
    env: { ...parentEnv, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  };
  launcher.stdout?.on("data", append);
  launcher.stderr?.on("data", append);
  const printed = (what: string, check: (output: string) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        waiters.delete(waiter);
        clearTimeout(safety);
        if (error) reject(error);
        else resolve();
      };
      const waiter = (): void => {
        if (check(text)) done();
      };
      const safety = setTimeout(() => done(new Error(`never printed: ${what}\n${text}`)), SAFETY_MS);
      waiters.add(waiter);
      waiter();
    });
  return { launcher, output: () => text, printed };
}

async function postJSON(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function call(url: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A documented refusal: the WWW-Authenticate challenge and the body, exactly. */
interface Refusal {
  challenge: string;
  body: string;
}

/**
 * The README's table of refusals (step 3), for the banking service; the retirement service
 * answers the same in its own realm. Read from the README so that the two cannot drift apart.
 */
async function documentedRefusals(): Promise<{ noToken: Refusal; forged: Refusal }> {
  const readme = await readFile(README, "utf8");
  const row = (request: string): Refusal => {
    const line = readme.split("\n").find((l) => l.startsWith(`| ${request} |`));
    const cells = line === undefined ? undefined : /\| `([^`]+)` \| `([^`]+)` \|$/.exec(line);
    assert.ok(cells?.[1] && cells[2], `README documents the answer to: ${request}`);
    return { challenge: cells[1], body: cells[2] };
  };
  return { noToken: row("no `Authorization` header"), forged: row("a forged token") };
}

/** What a service answered, in the README's terms. */
async function refusal(url: string, authorization?: string): Promise<Refusal & { status: number }> {
  const response = await fetch(url, authorization === undefined ? {} : { headers: { authorization } });
  return {
    status: response.status,
    challenge: response.headers.get("www-authenticate") ?? "(none)",
    body: await response.text(),
  };
}

/** The token with another payload under its signature: what a forger without the private key can make. */
function forge(token: string): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url");
  return `${header}.${forged}.${signature}`;
}

async function status(url: string, token: string): Promise<number> {
  return (await call(url, token)).status;
}

/**
 * Asks until the service answers 401: a revocation reaches each service's mirror through the
 * feed, in its own process, and nothing outside tells when it has. Every answer is a real one;
 * the loop waits on each before asking again. Returns how many requests it took (for the log).
 */
async function refusedEventually(url: string, token: string): Promise<number> {
  const deadline = Date.now() + SAFETY_MS;
  for (let requests = 1; Date.now() < deadline; requests++) {
    if ((await status(url, token)) === 401) return requests;
  }
  throw new Error(`${url} never refused the token`);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function login(auth: string): Promise<string> {
  const response = await postJSON(`${auth}/auth/login`, USER);
  assert.equal(response.status, 200);
  return ((await response.json()) as { access_token: string }).access_token;
}

test("sso example: one login for both services, one logout refused by both", { timeout: 300_000 }, async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), "sigil-sso-"));
  const [authPort, bankingPort, retirementPort] = [await freePort(), await freePort(), await freePort()];
  const { launcher, output, printed } = startExample({
    SSO_AUTH_PORT: String(authPort),
    SSO_BANKING_PORT: String(bankingPort),
    SSO_RETIREMENT_PORT: String(retirementPort),
    SSO_DATA_DIR: dataDir,
    SSO_STALE_AFTER_MS: String(STALE_AFTER_MS),
    SIGIL_FEED_HEARTBEAT: "1s", // the feed must speak more often than the shortened staleness bound
  });
  const exited = once(launcher, "exit");
  try {
    await printed("the three processes ready", (text) => text.includes("[start]       ready:"));
    const pids = [...output().matchAll(/(\w+) started, pid (\d+)/g)].map((m) => ({ name: m[1], pid: Number(m[2]) }));
    assert.deepEqual(pids.map((p) => p.name).sort(), ["auth", "banking", "retirement"]);
    const auth = `http://127.0.0.1:${authPort}`;
    const banking = `http://127.0.0.1:${bankingPort}/accounts`;
    const retirement = `http://127.0.0.1:${retirementPort}/plan`;

    assert.equal((await postJSON(`${auth}/auth/register`, USER)).status, 202);
    const token = await login(auth);
    const accounts = await call(banking, token);
    const plan = await call(retirement, token);
    assert.equal(accounts.status, 200);
    assert.equal(plan.status, 200);
    assert.equal(accounts.body["sub"], plan.body["sub"], "both services see the same user");

    // Without a token, and with a forged one: exactly what the README's table says (RFC 6750 §3.1).
    const documented = await documentedRefusals();
    for (const [url, realm] of [
      [banking, "banking"],
      [retirement, "retirement"],
    ] as const) {
      const inRealm = (expected: Refusal): Refusal & { status: number } => ({
        status: 401,
        challenge: expected.challenge.replace('realm="banking"', `realm="${realm}"`),
        body: expected.body,
      });
      assert.deepEqual(await refusal(url), inRealm(documented.noToken), `${realm}: no token`);
      assert.deepEqual(await refusal(url, `Bearer ${forge(token)}`), inRealm(documented.forged), `${realm}: forged`);
    }

    const logout = await fetch(`${auth}/auth/logout`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(logout.status, 204);
    const [bankingRequests, retirementRequests] = await Promise.all(
      [banking, retirement].map((url) => refusedEventually(url, token)),
    );
    t.diagnostic(`refused after logout: banking at request ${bankingRequests}, retirement at ${retirementRequests}`);

    // The auth server stops: tokens keep working until the feed is stale, then fail closed.
    const token2 = await login(auth);
    const authPid = pids.find((p) => p.name === "auth")?.pid;
    assert.ok(authPid !== undefined && authPid > 0);
    const staleLines = (): number => output().split("revocation mirror is STALE").length - 1;
    const staleBefore = staleLines();
    process.kill(authPid, "SIGTERM");
    assert.equal(await status(banking, token2), 200, "a valid token still works right after the auth server stops");
    await printed("the auth server to exit", (text) => text.includes("auth exited"));
    // Each service's monitor logs the transition on its own, no request needed, once the feed has
    // been silent for staleAfterMs; from then on it refuses every token.
    await printed("both services to log that their mirror is stale", () => staleLines() >= staleBefore + 2);
    for (const url of [banking, retirement]) assert.equal(await status(url, token2), 401, `${url} fails closed`);

    // Each rejection's reason is logged with its code (the lines cross two pipes: wait for them).
    for (const code of ["TOKEN_REVOKED", "REVOCATION_STALE"]) {
      await printed(`both services to log ${code}`, (text) => text.split(`401 ${code}:`).length - 1 >= 2);
    }
    const log = output();
    const { clientSecret } = JSON.parse(await readFile(join(dataDir, "feed-client.json"), "utf8")) as {
      clientSecret: string;
    };
    for (const secret of [token, token2, clientSecret, ...token.split("."), ...token2.split(".")]) {
      assert.ok(!log.includes(secret), "no token, token part or client secret appears in any log");
    }

    launcher.kill("SIGINT");
    const [code] = await exited;
    assert.equal(code, 0);
    for (const { name, pid } of pids) {
      assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, `${name} is still running`);
    }
  } finally {
    // After a failure: let the launcher stop its children; if it cannot, kill them all by pid.
    if (launcher.exitCode === null && launcher.signalCode === null) {
      launcher.kill("SIGTERM");
      await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
    }
    if (launcher.exitCode === null && launcher.signalCode === null) {
      for (const [, pid] of output().matchAll(/ started, pid (\d+)/g)) killQuietly(Number(pid));
      launcher.kill("SIGKILL");
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }
});
