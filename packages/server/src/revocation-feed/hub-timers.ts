/**
 * The hub's timers in one place, so that stop() clears them all. Every timer is unref'd: the feed
 * must never keep a process alive on its own. A periodic task does not overlap itself: the next
 * run is scheduled when the previous one has finished.
 */
export class HubTimers {
  readonly #handles = new Set<NodeJS.Timeout>();
  readonly #named = new Map<string, NodeJS.Timeout>();
  #cleared = false;

  every(intervalMs: number, task: () => Promise<void>): void {
    const schedule = (): void => {
      if (this.#cleared) return;
      const handle = setTimeout(() => {
        this.#handles.delete(handle);
        task().finally(schedule);
      }, intervalMs);
      handle.unref();
      this.#handles.add(handle);
    };
    schedule();
  }

  /** A one-shot timer by name; an earlier pending one of the same name is replaced. */
  once(name: string, delayMs: number, task: () => void): void {
    if (this.#cleared) return;
    clearTimeout(this.#named.get(name));
    const handle = setTimeout(() => {
      this.#named.delete(name);
      task();
    }, delayMs);
    handle.unref();
    this.#named.set(name, handle);
  }

  clear(): void {
    this.#cleared = true;
    for (const handle of this.#handles) clearTimeout(handle);
    for (const handle of this.#named.values()) clearTimeout(handle);
    this.#handles.clear();
    this.#named.clear();
  }
}
