// What a process manager sends, and what is left afterwards. systemd, Docker and Kubernetes stop
// a service with SIGTERM to the process they started; a terminal's Ctrl-C sends SIGINT to every
// process of its foreground group. The server must stop cleanly (exit status 0, port released)
// however it was started the way the README says, and nothing may be left listening.
//
// Found the hard way, and kept true here:
//   - npm runs a script through `sh -c`. npm passes SIGTERM on to that shell, but Debian's sh
//     (dash) forks the command instead of replacing itself, and dies without passing it on: the
//     server was left running, orphaned. So `npm start` is `exec node …`: the shell becomes node.
//   - `npx sigil serve` runs `sigil serve` through `sh -c` as well, and there is no script of ours
//     to put an `exec` in: npx is not for the server. The README says so, and the last test
//     here fails when npx starts passing SIGTERM on, so the README can say that instead.
//   - The same signal often arrives twice (Ctrl-C reaches npm and the server, and npm passes it
//     on); a repeat while shutting down must not kill the process half-way.
//   - A supervisor may signal the moment it reads the ready line, so the server prints that line
//     only once its signal listeners are in place: before, Node's default action kills it.
// These run the built CLI (bin/sigil.js loads dist/), as the commands do: the build comes first.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "@sigil/server/testing";
import { cleanEnv, portIsFree, runProcess, type StartedProcess, startProcess } from "./support/processes.js";

const root = resolve(import.meta.dirname, "..");
const READY = /^sigil listening on /;
let work: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), "sigil-signals-"));
  const build = await runProcess("npm", ["run", "build"], { cwd: root, env: cleanEnv(), timeoutMs: 300_000 });
  assert.equal(build.code, 0, `npm run build:\n${build.stdout}\n${build.stderr}`);
});
after(() => rm(work, { recursive: true, force: true }));

/** A server's environment: its own port and embedded database. */
async function serverEnv(name: string): Promise<{ port: number; env: NodeJS.ProcessEnv }> {
  const port = await freePort();
  return { port, env: cleanEnv({ SIGIL_PORT: String(port), SIGIL_DATA_DIR: join(work, name) }) };
}

/** True while any process of the group still exists. */
function groupAlive(started: StartedProcess): boolean {
  try {
    process.kill(-(started.child.pid as number), 0);
    return true;
  } catch {
    return false;
  }
}

test("the production command, node_modules/.bin/sigil serve, is the server itself: SIGTERM, exit 0, port free", async () => {
  const { port, env } = await serverEnv("production");
  const server = startProcess("node_modules/.bin/sigil", ["serve"], { cwd: root, env, ready: READY, group: true });
  await server.ready;
  // SIGTERM to the one process the manager started, not to a group.
  process.kill(server.child.pid as number, "SIGTERM");
  assert.deepEqual(await server.exited, { code: 0, signal: null }, server.output());
  assert.equal(await portIsFree(port), true, "nothing listens on the port any more");
  assert.equal(groupAlive(server), false, "no process is left behind");
});

test("npm start: SIGTERM to npm (a container's PID 1) stops the server; npm exits 0 and nothing is left", async () => {
  const { port, env } = await serverEnv("npm-start-term");
  const npm = startProcess("npm", ["start"], { cwd: root, env, ready: READY, group: true });
  await npm.ready;
  process.kill(npm.child.pid as number, "SIGTERM");
  assert.deepEqual(await npm.exited, { code: 0, signal: null }, npm.output());
  assert.match(npm.output(), /shutting down signal=SIGTERM/, "the server itself received the signal");
  assert.equal(await portIsFree(port), true, "nothing listens on the port any more");
  await sleep(200);
  assert.equal(groupAlive(npm), false, "no orphaned server is left behind");
});

test("npm start and Ctrl-C: SIGINT reaches npm and the server alike, and both exit 0", async () => {
  const { port, env } = await serverEnv("npm-start-int");
  const npm = startProcess("npm", ["start"], { cwd: root, env, ready: READY, group: true });
  await npm.ready;
  const exit = await npm.stop("SIGINT"); // to the whole group, as a terminal sends it
  // npm exits as its script did: 0 after a clean shutdown, killed by SIGINT if the server was.
  assert.deepEqual(exit, { code: 0, signal: null }, npm.output());
  assert.match(npm.output(), /shutting down signal=SIGINT/);
  assert.equal(await portIsFree(port), true, "nothing listens on the port any more");
  await sleep(200);
  assert.equal(groupAlive(npm), false, "nothing is left behind");
});

test("a second SIGTERM while shutting down does not cut the shutdown short", async () => {
  const { port, env } = await serverEnv("twice");
  const server = startProcess(process.execPath, ["packages/cli/bin/sigil.js", "serve"], {
    cwd: root,
    env,
    ready: READY,
  });
  await server.ready;
  const credentials = JSON.stringify({ email: "twice@example.com", password: "tulip-quarry-47-lantern" });
  const registered = await fetch(`http://127.0.0.1:${port}/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: credentials,
  });
  assert.equal(registered.status, 202, await registered.text());
  // A login in flight that the test holds open: the server has its headers (it answered
  // 100 Continue), not yet its body. The shutdown waits for it, so it is certainly still going
  // when the repeat comes, however fast or slow the machine.
  const login = await heldRequest(port, "/auth/login", credentials);
  process.kill(server.child.pid as number, "SIGTERM");
  await server.outputMatches(/shutting down signal=SIGTERM/);
  process.kill(server.child.pid as number, "SIGTERM");
  await server.outputMatches(/already shutting down signal=SIGTERM/);
  assert.equal(server.child.exitCode, null, "still running after the repeat");
  assert.equal(await login.finish(), 200, "the login in flight was answered");
  assert.deepEqual(await server.exited, { code: 0, signal: null }, server.output());
  assert.equal(await portIsFree(port), true);
});

/**
 * A request over a raw connection with `Expect: 100-continue`: resolves once the server has
 * answered 100 Continue, which Node does when it has parsed the headers and handed the request
 * to the app. `finish()` sends the body and resolves with the final status once the server has
 * answered and closed the connection (it answers `Connection: close` while shutting down).
 */
async function heldRequest(port: number, path: string, body: string): Promise<{ finish(): Promise<number> }> {
  const socket = connect({ host: "127.0.0.1", port });
  socket.setEncoding("utf8");
  let received = "";
  const watchers = new Set<() => void>();
  socket.on("data", (chunk: string) => {
    received += chunk;
    for (const watcher of [...watchers]) watcher();
  });
  const ended = new Promise<void>((resolve, reject) => {
    socket.once("end", resolve);
    socket.once("error", reject);
  });
  const continued = new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (!received.startsWith("HTTP/1.1 100 Continue\r\n\r\n")) return;
      watchers.delete(check);
      resolve();
    };
    watchers.add(check);
    ended.then(() => reject(new Error(`closed before 100 Continue: ${received}`)), reject);
  });
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nexpect: 100-continue\r\n\r\n`,
  );
  await continued;
  return {
    async finish() {
      socket.write(body);
      await ended;
      const final = /^HTTP\/1\.1 (\d{3}) /m.exec(received.slice("HTTP/1.1 100 Continue\r\n\r\n".length));
      assert.ok(final, `a final response: ${received}`);
      return Number(final[1]);
    },
  };
}

test("npx sigil serve does not pass SIGTERM on: the server outlives npx (why the README runs the bin directly)", async () => {
  const { port, env } = await serverEnv("npx");
  const npx = startProcess("npx", ["sigil", "serve"], {
    cwd: root,
    // Never ask the registry: the local bin is the one meant.
    env: { ...env, npm_config_offline: "true" },
    ready: READY,
    group: true,
  });
  await npx.ready;
  process.kill(npx.child.pid as number, "SIGTERM");
  await npx.exited;
  await sleep(1000);
  const orphaned = !(await portIsFree(port));
  // Clean up whatever is left in the group, then tell the truth about npx.
  if (groupAlive(npx)) process.kill(-(npx.child.pid as number), "SIGTERM");
  for (let i = 0; i < 100 && groupAlive(npx); i++) await sleep(100);
  assert.equal(
    orphaned,
    true,
    "npx now passes SIGTERM on to `sigil serve`: the README may offer `npx sigil serve` for production again",
  );
});
