/**
 * A FIFO async mutex. PGlite is one connection: a statement that ran while another caller's
 * transaction was open would run *inside* that transaction (and be rolled back with it).
 * PGlite 0.5 happens to queue query(), exec() and transaction() on one internal mutex; the
 * adapter does not rely on that undocumented detail and puts every statement, transaction,
 * listen and close through this lock (test/store/database.int.test.ts checks the guarantee).
 */
export class AsyncMutex {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier caller has finished; the lock is released even if it throws. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => turn);
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
