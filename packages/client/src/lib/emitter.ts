/** A minimal typed event emitter: `on` returns its own unsubscribe. */
export interface Emitter<Events> {
  on<K extends keyof Events>(type: K, handler: (event: Events[K]) => void): () => void;
  emit<K extends keyof Events>(type: K, event: Events[K]): void;
}

export function createEmitter<Events>(): Emitter<Events> {
  const handlers = new Map<keyof Events, Set<(event: never) => void>>();
  return {
    on(type, handler) {
      const set = handlers.get(type) ?? new Set();
      handlers.set(type, set.add(handler));
      return () => {
        set.delete(handler);
      };
    },
    emit(type, event) {
      for (const handler of [...(handlers.get(type) ?? [])]) {
        try {
          (handler as (event: unknown) => void)(event);
        } catch (error) {
          // An app's handler that throws must not break the client's own state changes. It is
          // reported as a throwing DOM event listener is (reportError), or where that does not
          // exist (Node 20) rethrown outside, to the process's uncaught-exception handling.
          const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
          if (report) report(error);
          else
            queueMicrotask(() => {
              throw error;
            });
        }
      }
    },
  };
}
