import type { ClientOptions, EventTargetLike, FetchLike, TimersLike } from "./client-types.js";
import { memoryTokenStore, type TokenStore } from "./session/token-store.js";
import type { BroadcastChannelLike } from "./tabs/tab-sync.js";
import type { LockManagerLike } from "./tabs/web-lock.js";

/** {@link ClientOptions} checked once, with every default filled in. */
export interface ResolvedOptions {
  /** The issuer URL without a trailing slash. */
  base: string;
  cookie: boolean;
  store: TokenStore;
  fetch: FetchLike;
  now: () => number;
  timers: TimersLike;
  refreshMargin: number | undefined;
  lockTimeoutMs: number;
  channelName: string;
  locks: LockManagerLike | undefined;
  channel: BroadcastChannelLike | undefined;
  online: EventTargetLike | undefined;
}

/** What the client looks for on the global object, typed without the DOM library. */
interface BrowserGlobals {
  document?: unknown;
  navigator?: { locks?: LockManagerLike };
  BroadcastChannel?: new (name: string) => BroadcastChannelLike;
  addEventListener?: unknown;
}

function invalid(option: string, expected: string): TypeError {
  return new TypeError(`createClient: ${option} must be ${expected}`);
}

/** Validates the options once, naming the bad one, and fills in the defaults. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const g = globalThis as unknown as BrowserGlobals;
  let url: URL;
  try {
    url = new URL(options.issuer);
  } catch {
    throw invalid("issuer", "an absolute URL");
  }
  // Passwords and tokens travel in these requests: TLS, except on the loopback interface for
  // development (RFC 6749 §3.2 and RFC 6750 §5.3 require TLS for them).
  if (
    url.protocol !== "https:" &&
    !(url.protocol === "http:" && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname))
  ) {
    throw invalid("issuer", "an https URL (http only on localhost)");
  }
  // RFC 8414 §2: an issuer has no query or fragment (the endpoint paths are appended to it).
  if (url.search || url.hash) throw invalid("issuer", "a URL without query or fragment");
  const mode = options.mode ?? ("document" in g ? "cookie" : "body");
  if (mode !== "cookie" && mode !== "body") throw invalid("mode", '"cookie" or "body"');
  const margin = options.refreshMargin;
  if (margin !== undefined && !(margin >= 0 && margin < Infinity)) throw invalid("refreshMargin", "seconds >= 0");
  const lockTimeoutMs = options.lockTimeoutMs ?? 5000;
  if (!(lockTimeoutMs > 0 && lockTimeoutMs < Infinity)) throw invalid("lockTimeoutMs", "a positive number");
  const cookie = mode === "cookie";
  const base = url.href.replace(/\/+$/, "");
  const channelName = options.channelName ?? `sigil:${base}`;
  // Cross-tab sharing is on by default only in cookie mode, where every tab of the browser holds
  // the same session (one cookie). In body mode clients in one process may hold different users'
  // sessions (a server rendering for many users): sharing tokens among them would leak them.
  const Channel = g.BroadcastChannel;
  const openChannel =
    options.broadcastChannel === undefined
      ? cookie && Channel && ((name: string) => new Channel(name))
      : options.broadcastChannel;
  return {
    base,
    cookie,
    store: options.store ?? memoryTokenStore(),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    now: options.now ?? Date.now,
    timers: options.timers ?? {
      setTimeout(callback, ms) {
        const handle = setTimeout(callback, ms);
        // Node: a planned refresh must not keep a finished script alive for 14 minutes.
        (handle as { unref?: () => void }).unref?.();
        return handle;
      },
      clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
    },
    refreshMargin: margin,
    lockTimeoutMs,
    channelName,
    locks: (options.locks === undefined ? cookie && g.navigator?.locks : options.locks) || undefined,
    channel: openChannel ? openChannel(channelName) : undefined,
    online:
      (options.onlineEvents === undefined
        ? typeof g.addEventListener === "function" && (g as unknown as EventTargetLike)
        : options.onlineEvents) || undefined,
  };
}
