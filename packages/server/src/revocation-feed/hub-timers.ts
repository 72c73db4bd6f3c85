import { systemTimers, type TimersLike } from "../timers.js";

/**
 * The hub's timers in one place, so that stop() clears them all. They run on the hub's
 * {@link TimersLike} (Node's, unref'd, by default: the feed must never keep a process alive on its
 * own). A periodic task does not overlap itself: the next run is scheduled when the previous one
 * has finished.
 */
export class HubTimers {
  readonly #timers: TimersLike;
  readonly #handles = new Set<unknown>();
  readonly #named = new Map<string, unknown>();
  #cleared = false;

  constructor(timers: TimersLike = systemTimers) {
    this.#timers = timers;
  }

  every(intervalMs: number, task: () => Promise<void>): void {
    const schedule = (): void => {
      if (this.#cleared) return;
      const handle = this.#timers.setTimeout(() => {
        this.#handles.delete(handle);
        task().finally(schedule);
      }, intervalMs);
      this.#handles.add(handle);
    };
    schedule();
  }

  /** A one-shot timer by name; an earlier pending one of the same name is replaced. */
  once(name: string, delayMs: number, task: () => void): void {
    if (this.#cleared) return;
    if (this.#named.has(name)) this.#timers.clearTimeout(this.#named.get(name));
    const handle = this.#timers.setTimeout(() => {
      this.#named.delete(name);
      task();
    }, delayMs);
    this.#named.set(name, handle);
  }

  clear(): void {
    this.#cleared = true;
    for (const handle of this.#handles) this.#timers.clearTimeout(handle);
    for (const handle of this.#named.values()) this.#timers.clearTimeout(handle);
    this.#handles.clear();
    this.#named.clear();
  }
}
