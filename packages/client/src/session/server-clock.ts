/**
 * The server's clock as seen from this client: the local clock plus an offset learnt from the
 * `Date` header of the server's answers. Expiries are kept in server time and turned into relative
 * delays against this clock, so a local clock that is hours wrong neither expires tokens early nor
 * keeps them late (only intervals matter, and the offset cancels out of them).
 */
export interface ServerClock {
  /** Now, on the server's clock, ms since the epoch. */
  now(): number;
  /** A local time (ms) on the server's clock. */
  toServer(localTime: number): number;
  /** Learns the offset from a server time seen at a local time. */
  learn(serverTime: number, localTime: number): void;
  /** Whether an offset has been learnt yet. */
  readonly known: boolean;
}

/** A {@link ServerClock} over a local clock; the offset is 0 until something is learnt. */
export function createServerClock(localNow: () => number): ServerClock {
  let offset: number | undefined;
  const toServer = (localTime: number): number => localTime + (offset ?? 0);
  return {
    now: () => toServer(localNow()),
    toServer,
    learn: (serverTime, localTime) => {
      // The Date header has a resolution of one second (RFC 9110 §5.6.7) and is written before
      // the answer travels, so this errs early by up to ~1 s plus the latency: the safe side.
      offset = serverTime - localTime;
    },
    get known() {
      return offset !== undefined;
    },
  };
}
