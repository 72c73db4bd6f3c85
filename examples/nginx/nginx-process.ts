// Runs a real nginx in the foreground on a rendered configuration, under a private prefix
// directory — for the example's test, and for trying the example by hand.
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** The nginx binary: on PATH, else Debian's /usr/sbin/nginx; null when there is none. */
export function findNginx(): string | null {
  const candidates = (process.env.PATH ?? "")
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, "nginx"));
  candidates.push("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx");
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

export interface RunningNginx {
  /** The master process. */
  process: ChildProcess;
  /** What nginx wrote to stderr so far (its error log). */
  stderr(): string;
  /**
   * Resolves once stderr contains `text`, checked as each piece of it arrives. Rejects when nginx
   * exits first, or after `safetyMs` (default 60 s), which only turns a missing line into a failure.
   */
  stderrIncludes(text: string, safetyMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StartNginxOptions {
  binary: string;
  /** The rendered configuration. */
  config: string;
  /** A private directory: nginx.conf, logs/, temp/ and the pid file go there. */
  prefix: string;
  /** host and port from the configuration's `listen`, polled until nginx accepts connections. */
  listen: { host: string; port: number };
  /** Default 5 s. */
  startTimeoutMs?: number;
}

/**
 * Starts nginx with `daemon off` so it is a child of this process, and resolves once it accepts
 * connections. Rejects with nginx's error output if it exits first or does not listen in time.
 *
 * @example
 * const nginx = await startNginx({ binary: findNginx()!, config, prefix, listen: { host: "127.0.0.1", port } });
 * await nginx.stop();
 */
export async function startNginx(options: StartNginxOptions): Promise<RunningNginx> {
  await mkdir(join(options.prefix, "logs"), { recursive: true });
  await mkdir(join(options.prefix, "temp"), { recursive: true });
  // Started as root, nginx's workers run as an unprivileged user (www-data on Debian) and must
  // be able to reach the temp paths nginx creates for them under the prefix.
  await chmod(options.prefix, 0o755);
  const configPath = join(options.prefix, "nginx.conf");
  await writeFile(configPath, options.config, { mode: 0o644 });
  const args = [
    // -e: the startup error log; without it nginx first tries the build's /var/log/nginx path.
    "-e",
    "stderr",
    "-p",
    options.prefix,
    "-c",
    configPath,
    "-g",
    `daemon off; pid ${join(options.prefix, "nginx.pid")}; error_log stderr warn;`,
  ];
  const child = spawn(options.binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const stderrWaiters = new Set<() => void>();
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (const check of [...stderrWaiters]) check();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill("SIGTERM"); // fast shutdown of the master and its workers
    const stopped = await Promise.race([exit.then(() => true), sleep(3000).then(() => false)]);
    if (!stopped) {
      child.kill("SIGKILL");
      await exit;
    }
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 5000);
  for (;;) {
    if (exited) throw new Error(`nginx exited at start (code ${child.exitCode}):\n${stderr}`);
    if (await accepts(options.listen.host, options.listen.port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not listen on ${options.listen.host}:${options.listen.port} in time:\n${stderr}`);
    }
    await sleep(25);
  }
  const stderrIncludes = (text: string, safetyMs = 60_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        stderrWaiters.delete(check);
        clearTimeout(safety);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        if (stderr.includes(text)) done();
        else if (exited) done(new Error(`nginx exited without logging ${JSON.stringify(text)}:\n${stderr}`));
      };
      const safety = setTimeout(
        () => done(new Error(`nginx never logged ${JSON.stringify(text)}:\n${stderr}`)),
        safetyMs,
      );
      stderrWaiters.add(check);
      void exit.then(check);
      check();
    });
  return { process: child, stderr: () => stderr, stderrIncludes, stop };
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
