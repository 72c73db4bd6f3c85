import { Worker } from "node:worker_threads";
import type { HashJob, HashJobResult } from "./hash-job.js";

interface HashThread {
  readonly worker: Worker;
  job: { resolve: (value: string | boolean) => void; reject: (error: Error) => void } | undefined;
}

/**
 * Up to `size` worker threads (hash-worker.ts), each hashing one job at a time at a lowered OS
 * priority. Threads start on first need and then stay; an idle thread is unref'd, so it never
 * keeps the process alive, while one with a job in hand is ref'd, as libuv work would be. A thread
 * that dies fails its job and is replaced on the next one. The caller bounds concurrency (the
 * BoundedQueue in front): a job arriving with all `size` threads busy is a programming error.
 */
export class HashWorkerPool {
  readonly #size: number;
  readonly #threads = new Set<HashThread>();
  readonly #idle: HashThread[] = [];
  #closed = false;

  constructor(options: { size: number }) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(`size must be a positive integer (got ${options.size})`);
    }
    this.#size = options.size;
  }

  run(job: HashJob): Promise<string | boolean> {
    if (this.#closed) return Promise.reject(new Error("the password hasher is closed"));
    const thread = this.#idle.pop() ?? this.#spawn();
    return new Promise((resolve, reject) => {
      thread.job = { resolve, reject };
      thread.worker.ref();
      thread.worker.postMessage(job);
    });
  }

  /** Stops every thread; a job still running is rejected. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#idle.length = 0;
    await Promise.all([...this.#threads].map((thread) => thread.worker.terminate()));
  }

  #spawn(): HashThread {
    if (this.#threads.size >= this.#size) {
      throw new Error(`more than ${this.#size} concurrent hash jobs: the queue in front must bound them`);
    }
    const thread: HashThread = { worker: startHashWorker(), job: undefined };
    this.#threads.add(thread);
    thread.worker.unref();
    thread.worker.on("message", (result: HashJobResult) => {
      const job = thread.job;
      thread.job = undefined;
      thread.worker.unref();
      // Idle before settling, so the next job the queue releases finds this thread free.
      if (!this.#closed) this.#idle.push(thread);
      if (result.ok) job?.resolve(result.value);
      else job?.reject(new Error(`password hashing failed: ${result.message}`));
    });
    thread.worker.on("error", (error) => this.#retire(thread, error));
    thread.worker.on("exit", (code) => this.#retire(thread, new Error(`password-hashing thread exited (${code})`)));
    return thread;
  }

  #retire(thread: HashThread, error: Error): void {
    this.#threads.delete(thread);
    const index = this.#idle.indexOf(thread);
    if (index !== -1) this.#idle.splice(index, 1);
    const job = thread.job;
    thread.job = undefined;
    job?.reject(error);
  }
}

/**
 * From the built package, the compiled hash-worker.js beside this file. From the TypeScript
 * sources (tests, benchmarks: node --import tsx), the .ts file: tsx's --import hooks do not reach
 * worker threads on Node 20, so the thread loads the source through tsx's own API, resolved from
 * here (the same tsx that runs the parent).
 */
function startHashWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./hash-worker.js", import.meta.url));
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./hash-worker.ts", import.meta.url).href;
  const load = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(load, { eval: true });
}
