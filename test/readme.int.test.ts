// The READMEs run as written, so they cannot drift from what the code does. Every ```sh block of
// README.md, examples/sso/README.md and examples/nginx/README.md (when nginx is installed; CI has
// it) is run in order, in one `sh -eu` session per README — as a reader types them into one
// terminal: $TOKEN from one block is there for the next — in a copy of the repository, so the
// files the blocks write (keys, databases) never land in the clone. The copy's node_modules holds
// the same dependencies and the copy's own Sigil packages. A comment just above a block says when
// it needs more than running:
//
//   <!-- readme-test: quick start -->  `npm ci && npm start` / `npm test`: running them here would
//        reinstall the tree and recurse into this test, so the lines are checked against what
//        .ci/run and package.json run, and `npm start` itself is started as the server the next
//        blocks talk to.
//   <!-- readme-test: starts a server -->  runs in the background, in its own process group (its
//        own terminal), until its ready line — or, with ", ready when HOST:PORT answers", until
//        that port accepts connections. Every such process is stopped as Ctrl-C stops it (SIGINT
//        to its group) when a block asks for it or the README ends, and nothing may be left.
//   <!-- readme-test: stops the server first -->  those processes are stopped before the block.
//   <!-- readme-test: checked, not run (…) -->  only `npm test -- <path>` lines, whose paths must
//        hold tests: running an example's own integration test again here would double the time.
//   <!-- readme-test: after a sign-up on the web -->  the step before it happens in a browser:
//        the test signs up as the page does (the same registration, through POST /auth/register),
//        waits for the server's log line saying the code is in the development outbox, runs the
//        block, and checks that the code it printed verifies that address.
//
// The README's ports (3000; 4000-4002 for examples/sso; 8080, 8081 for examples/nginx) are
// replaced by free ones, in the blocks and in the environment (SIGIL_PORT, SSO_*_PORT, PORT)
// alike, so that the test never collides with a developer's own server on those ports; so is the
// nginx example's /tmp/sigil-nginx. The production block also gets, from the environment as a
// secret store would give it, a SIGIL_KEY_ENCRYPTION_KEY, a SIGIL_SMTP_URL, a SIGIL_METRICS_TOKEN
// and a data directory of its own.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { generateSecret } from "@sigil/jwt";
import { findSetting } from "@sigil/server";
import { freePort } from "@sigil/server/testing";
import { cleanEnv, portIsFree, runProcess, type StartedProcess, startProcess } from "./support/processes.js";

const root = resolve(import.meta.dirname, "..");
const READY = /^sigil listening on |^\[start\] +ready: |^sample-service listening on /;

interface Block {
  readme: string;
  lang: string;
  marker: string | undefined;
  code: string;
  line: number;
}

function blocksOf(readme: string): Block[] {
  const text = readFileSync(join(root, readme), "utf8");
  // A block in a list item is indented, its marker too.
  const pattern = /(?:<!-- readme-test: ([^>]*?) -->\n[ \t]*)?```(\w*)\n([\s\S]*?)```/g;
  return [...text.matchAll(pattern)].map((match) => ({
    readme,
    marker: match[1],
    lang: match[2] as string,
    code: match[3] as string,
    line: text.slice(0, match.index).split("\n").length + (match[1] === undefined ? 1 : 2),
  }));
}

/**
 * A copy of the repository without its node_modules, .git and local data, and a node_modules
 * of links: every dependency to the clone's, the Sigil packages to the copy's own, and the
 * `.bin` links rebuilt so that `npx sigil` runs the copy's CLI.
 */
function copyRepository(to: string): void {
  const skipped = new Set(["node_modules", ".git", ".sigil-data", "coverage", "private.jwk", "users.jsonl"]);
  cpSync(root, to, {
    recursive: true,
    filter: (source) => {
      const path = relative(root, source).split(sep);
      if (path.some((part) => part === "node_modules" || part === ".data")) return false;
      return !(path.length === 1 && skipped.has(path[0] as string));
    },
  });
  const modules = join(to, "node_modules");
  mkdirSync(join(modules, ".bin"), { recursive: true });
  mkdirSync(join(modules, "@sigil"));
  for (const entry of readdirSync(join(root, "node_modules"))) {
    if (entry === ".bin" || entry === "@sigil" || entry.startsWith(".")) continue;
    symlinkSync(join(root, "node_modules", entry), join(modules, entry));
  }
  for (const entry of readdirSync(join(root, "node_modules/@sigil"))) {
    symlinkSync(join(to, "packages", entry), join(modules, "@sigil", entry));
  }
  for (const entry of readdirSync(join(root, "node_modules/.bin"))) {
    const link = join(root, "node_modules/.bin", entry);
    if (lstatSync(link).isSymbolicLink()) symlinkSync(readlinkSync(link), join(modules, ".bin", entry));
  }
}

/** What a README's blocks say → what this run uses: ports, and the nginx example's directory. */
type Substitutions = Map<string, string>;

function substitute(code: string, substitutions: Substitutions): string {
  let out = code;
  for (const [documented, actual] of substitutions) out = out.replaceAll(documented, actual);
  return out;
}

/** `localhost:3000` and `127.0.0.1:3000` → the free port, for each documented port. */
function portSubstitutions(ports: Record<number, number>): Substitutions {
  const map: Substitutions = new Map();
  for (const [documented, actual] of Object.entries(ports)) {
    for (const host of ["localhost", "127.0.0.1"]) map.set(`${host}:${documented}`, `${host}:${actual}`);
  }
  return map;
}

/** A process a block started in the background, and how to tell it stopped well. */
interface Background {
  process: StartedProcess;
  where: string;
  /** What its output says after a clean shutdown, when it says anything. */
  stopped: RegExp | undefined;
}

/** Whether nginx is here to run the nginx example by hand (CI installs it: there, its absence fails). */
function nginxAvailable(): boolean {
  const found = (process.env["PATH"] ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, "nginx")));
  if (!found && process.env["CI"] === "true") throw new Error("nginx not found on PATH: CI=true requires it");
  return found;
}

test("every sh block of the READMEs runs as written against a fresh server", { timeout: 1_200_000 }, async (t) => {
  const work = await mkdtemp(join(tmpdir(), "sigil-readme-"));
  after(() => rm(work, { recursive: true, force: true }));
  // bin/sigil.js runs the compiled dist/, which the copy takes from here.
  const build = await runProcess("npm", ["run", "build"], { cwd: root, env: cleanEnv(), timeoutMs: 300_000 });
  assert.equal(build.code, 0, `npm run build:\n${build.stdout}\n${build.stderr}`);
  const copy = join(work, "sigil");
  copyRepository(copy);

  const sigilPort = await freePort();
  const sso = { auth: await freePort(), banking: await freePort(), retirement: await freePort() };
  const gateway = { nginx: await freePort(), service: await freePort() };
  const readmes: { readme: string; substitutions: Substitutions; ports: number[] }[] = [
    { readme: "README.md", substitutions: portSubstitutions({ 3000: sigilPort }), ports: [sigilPort] },
    {
      readme: "examples/sso/README.md",
      substitutions: portSubstitutions({ 4000: sso.auth, 4001: sso.banking, 4002: sso.retirement }),
      ports: Object.values(sso),
    },
  ];
  if (nginxAvailable()) {
    const substitutions = portSubstitutions({ 3000: sigilPort, 8080: gateway.nginx, 8081: gateway.service });
    substitutions.set("/tmp/sigil-nginx", join(work, "sigil-nginx"));
    readmes.push({ readme: "examples/nginx/README.md", substitutions, ports: [sigilPort, ...Object.values(gateway)] });
  } else {
    t.diagnostic("examples/nginx/README.md not run: no nginx on PATH");
  }
  // The ports the processes listen on, from their environment; never the registry: every command
  // the READMEs run is in the copy.
  const env = cleanEnv({
    SIGIL_PORT: String(sigilPort),
    SSO_AUTH_PORT: String(sso.auth),
    SSO_BANKING_PORT: String(sso.banking),
    SSO_RETIREMENT_PORT: String(sso.retirement),
    PORT: String(gateway.service), // the nginx example's sample service
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
  });

  const running: Background[] = [];
  /** Ctrl-C for each (SIGINT to its process group), newest first; nothing may be left of them. */
  const stopAll = async (ports: readonly number[]): Promise<void> => {
    for (const { process: started, where, stopped } of running.splice(0).reverse()) {
      await started.stop("SIGINT");
      const group = -(started.child.pid as number);
      for (let i = 0; i < 150 && groupAlive(group); i++) await sleep(100);
      assert.equal(groupAlive(group), false, `${where}: nothing is left after Ctrl-C:\n${started.output()}`);
      if (stopped !== undefined) assert.match(started.output(), stopped, `${where}: it shut down cleanly`);
      assert.doesNotMatch(started.output(), /shutdown failed/);
    }
    for (const port of ports) assert.equal(await portIsFree(port), true, `port ${port} is free`);
  };
  after(() => stopAll([]).catch(() => {}));

  const handled: string[] = [];
  for (const { readme, substitutions, ports } of readmes) {
    checkSettingNames(readme);
    // One terminal per README: a variable set by one block ($TOKEN) is there for the next.
    const shell = openShell(copy, env, join(work, "blocks"));
    let quickStartServer: StartedProcess | undefined;
    for (const block of blocksOf(readme)) {
      if (block.lang !== "sh") continue;
      const where = `${readme}:${block.line}`;
      const code = substitute(block.code, substitutions);
      const marker = block.marker ?? "";

      if (marker === "quick start") {
        checkQuickStart(block.code);
        const npm = startProcess("npm", ["start"], { cwd: copy, env, ready: READY, group: true });
        running.push({ process: npm, where, stopped: /shutting down/ });
        await npm.ready;
        quickStartServer = npm;
        handled.push(`${where} checked; npm start started`);
        continue;
      }
      if (marker.startsWith("checked, not run")) {
        checkTestCommands(block.code, where);
        handled.push(`${where} checked`);
        continue;
      }
      if (marker === "after a sign-up on the web") {
        assert.ok(quickStartServer, `${where}: the quick start's server runs`);
        const email = "reader@example.com";
        const base = `http://127.0.0.1:${sigilPort}`;
        const json = { "content-type": "application/json" };
        const signUp = await fetch(`${base}/auth/register`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ email, password: "tulip-quarry-47-lantern" }),
        });
        assert.equal(signUp.status, 202, await signUp.text());
        // Mail goes out in the background: the server logs once the file is written.
        await quickStartServer.outputMatches(/verification code for reader@example\.com written to the outbox/);
        const printed = (await shell.run(code, where)).trim();
        assert.match(printed, /^[2-9A-Z]{4}-[2-9A-Z]{4}$/, `${where} prints one code`);
        const verified = await fetch(`${base}/auth/email/verify`, {
          method: "POST",
          headers: json,
          body: JSON.stringify({ email, code: printed }),
        });
        assert.equal(verified.status, 204, `${where}: the printed code verifies ${email}: ${await verified.text()}`);
        handled.push(`${where} ran after a sign-up`);
        continue;
      }
      if (marker === "stops the server first") await stopAll(ports);

      if (marker.startsWith("starts a server")) {
        const production = /SIGIL_ENV=production/.test(code);
        const blockEnv = production
          ? {
              ...env,
              SIGIL_KEY_ENCRYPTION_KEY: generateSecret(),
              // Nothing connects to the mail server before a flow sends mail.
              SIGIL_SMTP_URL: "smtps://sigil:secret@smtp.example.com",
              SIGIL_METRICS_TOKEN: generateSecret(),
              SIGIL_DATA_DIR: join(work, "production-data"),
            }
          : env;
        // "ready when HOST:PORT answers": a process that prints nothing when it is ready (nginx).
        const address = /ready when (\S+) answers/.exec(substitute(marker, substitutions))?.[1];
        const started = startProcess("sh", ["-euc", code], {
          cwd: copy,
          env: blockEnv,
          ready: address === undefined ? READY : /(?!)/,
          group: true,
        });
        running.push({
          process: started,
          where,
          stopped: /npm start|sigil serve/.test(code)
            ? /shutting down/
            : /example:sso/.test(code)
              ? /all stopped/
              : undefined,
        });
        if (address === undefined) await started.ready;
        else await waitForPort(address, started);
        handled.push(`${where} started`);
        continue;
      }

      await shell.run(code, where);
      handled.push(`${where} ran`);
    }
    shell.close();
    await stopAll(ports);
  }
  for (const line of handled) t.diagnostic(line);
  assert.ok(handled.length >= 15, `ran the READMEs' blocks (${handled.length})`);
});

/** Waits until something accepts connections on host:port (or the process has exited). */
async function waitForPort(address: string, started: StartedProcess): Promise<void> {
  const [host, port] = address.split(":") as [string, string];
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`exited before ${address} answered:\n${started.output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port: Number(port) }, () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`${address} did not answer within 60 s:\n${started.output()}`);
}

interface Shell {
  /**
   * Runs a block in the session and resolves with what it printed on stdout; rejects, with what
   * it printed, when a command fails (set -e).
   */
  run(code: string, where: string): Promise<string>;
  close(): void;
}

/**
 * A `sh -eu` session that runs blocks one after another, as a reader types them into one
 * terminal. Each block is sourced from a file with stdin from /dev/null, so a command that reads
 * stdin cannot swallow the session's next commands; a line after it reports that it ended.
 */
function openShell(cwd: string, env: NodeJS.ProcessEnv, dir: string): Shell {
  mkdirSync(dir, { recursive: true });
  const shell = spawn("sh", ["-eu"], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let exited: number | null | undefined;
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const waiter of waiters) waiter();
  };
  shell.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    wake();
  });
  shell.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  shell.once("exit", (code) => {
    exited = code;
    wake();
  });
  after(() => {
    if (exited === undefined) shell.kill("SIGKILL");
  });
  let count = 0;
  return {
    async run(code, where) {
      const file = join(dir, `block-${++count}.sh`);
      writeFileSync(file, code);
      const sentinel = `__readme_block_${count}_done__`;
      const from = { out: stdout.length, err: stderr.length };
      shell.stdin.write(`. '${file}' </dev/null\nprintf '%s\\n' '${sentinel}'\n`);
      const deadline = Date.now() + 300_000;
      while (!stdout.includes(sentinel, from.out) && exited === undefined && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            waiters.delete(done);
            resolve();
          };
          waiters.add(done);
          setTimeout(done, 1000);
        });
      }
      const printed = `--- stdout\n${stdout.slice(from.out)}\n--- stderr\n${stderr.slice(from.err)}`;
      assert.equal(exited, undefined, `${where} failed (the shell exited ${exited}):\n${code}\n${printed}`);
      assert.ok(stdout.includes(sentinel, from.out), `${where} did not finish in 300 s:\n${code}\n${printed}`);
      return stdout.slice(from.out, stdout.indexOf(sentinel, from.out));
    },
    close() {
      shell.stdin.end();
    },
  };
}

function groupAlive(group: number): boolean {
  try {
    process.kill(group, 0);
    return true;
  } catch {
    return false;
  }
}

/** The quick start's two lines are what CI and package.json run: `npm ci` and `npm start`, then `npm test`. */
function checkQuickStart(code: string): void {
  assert.deepEqual(code.trim().split("\n"), ["npm ci && npm start", "npm test"], "the quick start this test knows");
  const ci = readFileSync(join(root, ".ci/run"), "utf8").split("\n");
  assert.ok(
    ci.some((line) => /^npm ci( |$)/.test(line)),
    ".ci/run installs with npm ci",
  );
  assert.ok(ci.includes("npm test"), ".ci/run runs exactly `npm test`, as the README says");
  const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  assert.equal(scripts["prepare"], "npm run build", "npm ci builds (prepare)");
  assert.equal(scripts["start"], "exec node packages/cli/bin/sigil.js serve", "npm start is sigil serve, exec'd");
  assert.equal(scripts["test"], "node scripts/run-tests.mjs", "npm test runs every test");
}

/** Lines `npm test -- <paths>` whose paths exist and hold test files. */
function checkTestCommands(code: string, where: string): void {
  for (const line of code.split("\n").filter((l) => l.trim() !== "")) {
    const match = /^npm test -- (\S+(?: \S+)*?)\s*(?:#.*)?$/.exec(line.trim());
    assert.ok(match, `${where}: only npm test -- <path> lines may be checked rather than run: ${line}`);
    for (const path of (match[1] as string).split(" ")) {
      const full = join(root, path);
      assert.ok(existsSync(full), `${where}: ${path} exists`);
      const tests = lstatSync(full).isDirectory()
        ? readdirSync(full, { recursive: true }).filter((f) => String(f).endsWith(".test.ts"))
        : [path].filter((f) => f.endsWith(".test.ts"));
      assert.ok(tests.length > 0, `${where}: ${path} holds tests`);
    }
  }
}

/**
 * Every setting a README names (SIGIL_*, DATABASE_URL) is one the server reads, or one the
 * tests' own support code reads (SIGIL_CHROMIUM, where the browser tests find Chromium).
 */
function checkSettingNames(readme: string): void {
  const text = readFileSync(join(root, readme), "utf8");
  const support = join(root, "test/support");
  const testSettings = new Set(
    readdirSync(support)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) => [...readFileSync(join(support, file), "utf8").matchAll(/process\.env\.(SIGIL_[A-Z_]+)\b/g)])
      .map((match) => match[1] as string),
  );
  for (const [name] of text.matchAll(/\bSIGIL_[A-Z_]+\b|\bDATABASE_URL\b/g)) {
    assert.ok(
      findSetting(name) !== undefined || testSettings.has(name),
      `${readme} names ${name}, which is not a setting of the server nor of the tests (test/support)`,
    );
  }
}
