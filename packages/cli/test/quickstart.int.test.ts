// The README's promise, end to end: `npm start` (sigil serve, from the sources here) starts the
// auth server with no setup, and the "Try it with curl" walk-through behaves exactly as the README
// says. The requests are read from the README itself, so the two cannot drift apart.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { freePort } from "@sigil/server/testing";
import { tempDir } from "./helpers.js";

const README = fileURLToPath(new URL("../../../README.md", import.meta.url));
const ENTRY = fileURLToPath(new URL("../src/run.ts", import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;

/** One curl command of the walk-through, and the status its comment promises. */
interface ReadmeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly status: number;
}

const CREDENTIALS = '{"email":"alice@example.com","password":"tulip-quarry-47-lantern"}';
const JSON_TYPE = { "content-type": "application/json" };
/** What the test expects the README to do, step by step (method, path, headers, body). */
const EXPECTED_STEPS = [
  ["POST", "/auth/register", JSON_TYPE, CREDENTIALS],
  ["POST", "/auth/login", JSON_TYPE, CREDENTIALS],
  ["GET", "/userinfo", { authorization: "Bearer $ACCESS" }, undefined],
  ["POST", "/auth/refresh", JSON_TYPE, '{"refresh_token":"$REFRESH"}'],
  ["POST", "/auth/logout", { authorization: "Bearer $ACCESS" }, undefined],
  ["GET", "/userinfo", { authorization: "Bearer $ACCESS" }, undefined],
  ["POST", "/auth/refresh", JSON_TYPE, '{"refresh_token":"$REFRESH"}'],
] as const;

test("the README's walk-through is the sequence this test performs", () => {
  const requests = readmeRequests();
  assert.deepEqual(
    requests.map((r) => [r.method, r.url.pathname, r.headers, r.body]),
    EXPECTED_STEPS.map(([method, path, headers, body]) => [method, path, headers, body]),
  );
  for (const request of requests) assert.equal(request.url.origin, "http://localhost:3000", "the default port");
  assert.deepEqual(
    requests.map((r) => r.status),
    [202, 200, 200, 200, 204, 401, 401],
  );
});

test("npm start serves on PGlite in ./.sigil-data, and the README's curl walk-through works", async () => {
  const cwd = await tempDir();
  const port = await freePort();
  const server = startSigil(cwd, port);
  const summary = await server.summary;

  // The one summary line, with the development warnings the README lists.
  assert.match(
    summary,
    new RegExp(`^sigil listening on http://127\\.0\\.0\\.1:${port} \\| issuer http://localhost:${port} \\|`),
  );
  assert.match(summary, /\| database PGlite at \.\/\.sigil-data \| signing EdDSA \|/);
  const readme = readFileSync(README, "utf8");
  for (const warning of [
    `SIGIL_ISSUER not set: using http://localhost:${port} (development only)`,
    "SIGIL_KEY_ENCRYPTION_KEY not set: private signing keys are stored unencrypted in the database",
  ]) {
    assert.ok(summary.includes(`WARNING: ${warning}`), `summary line: ${warning}`);
    assert.ok(readme.includes(warning.replace(String(port), "3000")), `README lists: ${warning}`);
  }
  assert.ok(existsSync(join(cwd, ".sigil-data", "PG_VERSION")), "the database is in ./.sigil-data");

  const vars: Record<string, string> = {};
  const substitute = (text: string): string =>
    text.replace(/\$(ACCESS|REFRESH)\b/g, (_, name: string) => vars[name] ?? "");
  const results: { status: number; headers: Headers; body: unknown }[] = [];
  for (const request of readmeRequests()) {
    const url = new URL(request.url.pathname, `http://localhost:${port}`);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, substitute(v)]));
    const response = await fetch(url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: substitute(request.body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    const body: unknown = text === "" ? undefined : JSON.parse(text);
    assert.equal(response.status, request.status, `${request.method} ${url.pathname}: ${text}`);
    results.push({ status: response.status, headers: response.headers, body });
    // What the README's shell does with `node -p`: keep the tokens of each new pair.
    const pair = body as { access_token?: string; refresh_token?: string } | undefined;
    if (pair?.access_token !== undefined && pair.refresh_token !== undefined) {
      vars["ACCESS"] = pair.access_token;
      vars["REFRESH"] = pair.refresh_token;
    }
  }

  assert.equal(results.length, EXPECTED_STEPS.length);
  type Result = (typeof results)[number];
  const [registered, login, userinfo, refreshed, logout, refused, refreshRefused] = results as [
    Result,
    Result,
    Result,
    Result,
    Result,
    Result,
    Result,
  ];
  // The same answer for a new address and a taken one (no account enumeration).
  assert.deepEqual(registered.body, { status: "check_your_email" });
  const pair = login.body as Record<string, unknown>;
  assert.deepEqual(Object.keys(pair).sort(), [
    "access_token",
    "device_token",
    "expires_in",
    "refresh_token",
    "token_type",
  ]);
  assert.equal(pair["token_type"], "Bearer");
  assert.equal(pair["expires_in"], 900);
  assert.match(String(pair["access_token"]), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  const claims = JSON.parse(Buffer.from(String(pair["access_token"]).split(".")[1] ?? "", "base64url").toString()) as {
    sub: string;
  };
  assert.deepEqual(userinfo.body, { sub: claims.sub, email: "alice@example.com", email_verified: false, roles: [] });
  const next = refreshed.body as Record<string, unknown>;
  assert.notEqual(next["refresh_token"], pair["refresh_token"], "the refresh token rotates");
  assert.notEqual(next["access_token"], pair["access_token"]);
  assert.equal(logout.body, undefined);
  assert.equal(refused.headers.get("www-authenticate"), 'Bearer error="invalid_token"');
  assert.equal((refused.body as { error: string }).error, "invalid_token");
  assert.equal((refreshRefused.body as { error: string }).error, "invalid_grant");
  assert.match((refreshRefused.body as { error_description: string }).error_description, /^session_revoked: /);

  // Ctrl-C / SIGTERM: a clean exit, the data directory released.
  const exit = await server.stop("SIGTERM");
  assert.deepEqual(exit, { code: 0, signal: null }, server.output());
  assert.equal(existsSync(join(cwd, ".sigil-data", "sigil.lock")), false);
  // The verification code went to the development outbox, as the README says (mail is sent in
  // the background; the shutdown waits for it).
  const outbox = join(cwd, ".sigil-data", "outbox");
  const mails = readdirSync(outbox).filter((name) => name.endsWith(".eml"));
  assert.equal(mails.length, 1, `one message in ${outbox}: ${mails.join(", ")}`);
  assert.match(mails[0] ?? "", /-verification-code-[0-9a-f]{8}\.eml$/);
  assert.match(readFileSync(join(outbox, mails[0] ?? ""), "utf8"), /^To: alice@example\.com\r$/m);
});

/** The curl commands of the README's "Try it with curl" block, with the status each comment promises. */
function readmeRequests(): ReadmeRequest[] {
  const readme = readFileSync(README, "utf8");
  const section = readme.slice(readme.indexOf("## Try it with curl"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, "README has a sh block under 'Try it with curl'");
  const requests: ReadmeRequest[] = [];
  let comments = "";
  for (const line of block.replace(/\\\n\s*/g, " ").split("\n")) {
    if (line.trimStart().startsWith("#")) {
      comments += `${line}\n`;
      continue;
    }
    const at = line.indexOf("curl ");
    if (at === -1) continue;
    const status = /\b([245]\d\d)\b/.exec(comments)?.[1];
    assert.ok(status, `a status in the comment before: ${line}`);
    requests.push({ ...parseCurl(line.slice(at).replace(/\)\s*$/, "")), status: Number(status) });
    comments = "";
  }
  return requests;
}

function parseCurl(command: string): Omit<ReadmeRequest, "status"> {
  const words = shellWords(command).slice(1);
  const headers: Record<string, string> = {};
  let method: string | undefined;
  let body: string | undefined;
  let url: URL | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "-X") method = words[++i];
    else if (word === "-H") {
      const header = words[++i] ?? "";
      const colon = header.indexOf(":");
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === "-d") body = words[++i];
    else if (word.startsWith("http")) url = new URL(word);
    else assert.match(word, /^-[is]+$/, `an option the test does not know: ${word}`);
  }
  assert.ok(url, command);
  return { method: method ?? (body === undefined ? "GET" : "POST"), url, headers, body };
}

/** POSIX-shell words: '…' literal, "…" with \" and \\ escapes; variables stay as written. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    words.push(match[1] ?? (match[2] === undefined ? (match[3] ?? "") : match[2].replace(/\\(["\\$`])/g, "$1")));
  }
  return words;
}

/** `sigil serve` as `npm start` runs it, from the sources, with a clean environment and a fresh cwd. */
function startSigil(cwd: string, port: number) {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(SIGIL_|DATABASE_URL$|NODE_ENV$)/.test(name)) env[name] = value;
  }
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=sigil-source", "--import", import.meta.resolve("tsx"), ENTRY, "serve"],
    { cwd, env: { ...env, SIGIL_PORT: String(port), NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const summary = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no summary line in ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((l) => l.startsWith("sigil listening on "));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    void exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`sigil serve exited before it was ready (${JSON.stringify(status)}):\n${output}`));
    });
  });
  return {
    summary,
    output: () => output,
    async stop(signal: NodeJS.Signals) {
      child.kill(signal);
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`no exit ${STOP_TIMEOUT_MS} ms after ${signal}:\n${output}`)),
          STOP_TIMEOUT_MS,
        ).unref(),
      );
      return Promise.race([exited, timeout]);
    },
  };
}
