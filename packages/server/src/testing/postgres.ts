import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./free-port.js";

/** How long a starting PostgreSQL may take to say it is ready before it counts as failed to start. */
const READY_SAFETY_MS = 120_000;

/** A PostgreSQL server this test process started and owns. */
export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth, loopback only). */
  readonly url: string;
  readonly port: number;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/** The directory holding `initdb` and `postgres`, from PATH or Debian's /usr/lib/postgresql/<major>/bin. */
export function findPostgresBinaries(): string | null {
  const candidates = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const majors = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) candidates.push(join(debian, major, "bin"));
  }
  for (const dir of candidates) {
    if (existsSync(join(dir, "initdb")) && existsSync(join(dir, "postgres"))) return dir;
  }
  return null;
}

/** initdb refuses to run as root: then the binaries run as the `postgres` OS user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = spawnSyncText("id", ["-u", "postgres"]);
  const group = spawnSyncText("id", ["-g", "postgres"]);
  if (!passwd || !group) throw new Error("running as root, and there is no `postgres` OS user to run PostgreSQL as");
  return { uid: Number(passwd), gid: Number(group) };
}

function spawnSyncText(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : null;
}

function runToEnd(command: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"], ...user });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/**
 * Starts a throw-away PostgreSQL server from the machine's binaries: a fresh cluster in a temp
 * directory, listening on a free loopback port, tuned for tests (no fsync: the data is disposable).
 * Takes about a second. {@link TestPostgres.stop} (or process exit) removes everything.
 *
 * @throws when no binaries are found — callers decide whether that is a skip or a failure.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBinaries();
  if (!bin) throw new Error("PostgreSQL binaries (initdb, postgres) not found on PATH or in /usr/lib/postgresql/*/bin");
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), "sigil-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, "data");
  await runToEnd(
    join(bin, "initdb"),
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
    user,
  );
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    const candidate = spawn(
      join(bin, "postgres"),
      [
        ...["-D", dataDir, "-p", String(port), "-k", dir],
        ...["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"],
        ...["-c", "full_page_writes=off", "-c", "max_connections=100", "-c", "shared_buffers=32MB"],
      ],
      { stdio: ["ignore", "ignore", "pipe"], ...user },
    );
    let log = "";
    const ready = new Promise<boolean>((resolve) => {
      // PostgreSQL says so on stderr once it accepts connections; an exit first (a port taken
      // meanwhile) means try another port. The timer only turns a hang into a failure.
      const safety = setTimeout(() => resolve(false), READY_SAFETY_MS);
      candidate.stderr?.on("data", (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
        if (log.includes("database system is ready to accept connections")) {
          clearTimeout(safety);
          resolve(true);
        }
      });
      candidate.once("exit", () => {
        clearTimeout(safety);
        resolve(false);
      });
    });
    if (await ready) child = candidate;
    else if (candidate.exitCode === null) candidate.kill("SIGKILL");
    if (!child && attempt === 2) throw new Error(`postgres did not start: ${log.trim()}`);
  }
  const server = child!;
  // Last resort if the test process exits without calling stop(): immediate shutdown.
  const onExit = (): void => {
    server.kill("SIGQUIT");
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  // The server must not keep the test process alive.
  server.unref();
  (server.stderr as { unref?: () => void } | null)?.unref?.();
  const urlFor = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor("postgres"),
    port,
    urlFor,
    async stop() {
      process.off("exit", onExit);
      if (server.exitCode === null && server.signalCode === null) {
        server.ref(); // keep the process alive until the server has exited
        const exited = new Promise((resolve) => server.once("exit", resolve));
        server.kill("SIGINT"); // "fast" shutdown: roll back clients, then exit
        // An unref'd timer: a pending 5 s timeout must not keep the test process alive.
        await Promise.race([exited, sleep(5000, undefined, { ref: false })]);
        if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
