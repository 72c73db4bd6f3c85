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
          // An app's handler that throws must not break the client's own state changes; rethrown
          // outside, it still reaches the console or the process's uncaught-error handler.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
  };
}
