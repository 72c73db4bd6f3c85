// `npm run example:sso`: starts the auth server, then the two web apps (each with its API), each
// as its own process (as they would run in production), and prefixes their output. Ctrl-C stops
// all three.
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { readExampleConfig } from "./config.js";

const STOP_TIMEOUT_MS = 5000;
const config = readExampleConfig(); // validates the ports before anything starts
const children = new Map<string, ChildProcess>();
let stopping = false;

function log(name: string, line: string): void {
  console.log(`${`[${name}]`.padEnd(13)} ${line}`);
}

/** Forks one process with this process's node flags (tsx, sigil-source) and resolves when it reports ready. */
function launch(name: string, file: string): Promise<void> {
  const child = fork(new URL(file, import.meta.url), {
    execArgv: process.execArgv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  children.set(name, child);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => log(name, line));
  }
  log("start", `${name} started, pid ${child.pid}`);
  child.once("exit", (code, signal) => {
    children.delete(name);
    if (!stopping) log("start", `${name} exited (${signal ?? `code ${code}`}); the others keep running`);
  });
  return new Promise((resolve, reject) => {
    child.on("message", (message) => message === "ready" && resolve());
    child.once("exit", () => reject(new Error(`${name} exited before it was ready`)));
  });
}

/** SIGTERM to every child, SIGKILL to any still running after STOP_TIMEOUT_MS. */
async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const running = [...children.values()];
  const exited = running.map((child) => once(child, "exit"));
  for (const child of running) child.kill("SIGTERM");
  const timer = setTimeout(() => {
    for (const child of running) child.kill("SIGKILL");
  }, STOP_TIMEOUT_MS);
  await Promise.all(exited);
  clearTimeout(timer);
  log("start", "all stopped");
  process.exit(exitCode);
}

// A terminal's Ctrl-C also reaches the children (same process group); SIGTERM is sent anyway,
// for a launcher stopped by kill or by a test.
process.once("SIGINT", () => void stopAll(0));
process.once("SIGTERM", () => void stopAll(0));

try {
  await launch("auth", "./auth.ts");
  await Promise.all([launch("banking", "./banking.ts"), launch("retirement", "./retirement.ts")]);
} catch (error) {
  log("start", `${(error as Error).message}; stopping`);
  await stopAll(1);
}
log(
  "start",
  `ready: auth ${config.issuer}, banking ${config.bankingUrl}, retirement ${config.retirementUrl} (Ctrl-C stops all)`,
);
log("start", `open ${config.bankingUrl}/ in a browser and sign in; then open ${config.retirementUrl}/`);
