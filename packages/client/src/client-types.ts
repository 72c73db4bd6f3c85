import type { SigilClientError } from "./errors/sigil-client-error.js";
import type { TokenStore } from "./session/token-store.js";
import type { BroadcastChannelLike } from "./tabs/tab-sync.js";
import type { LockManagerLike } from "./tabs/web-lock.js";

/** `fetch` as the client calls it; the global `fetch` of browsers and Node fits. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Timers as the client uses them; injectable so that tests control time. */
export interface TimersLike {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Something that fires `online` events: the window in browsers. */
export interface EventTargetLike {
  addEventListener(type: "online", listener: () => void): void;
  removeEventListener(type: "online", listener: () => void): void;
}

/**
 * How the refresh token travels. `cookie`: in an HttpOnly cookie that the server sets and scripts
 * never see (first-party browser apps). `body`: in JSON bodies, kept in a {@link TokenStore}
 * (Node: server-side rendering, scripts, CLIs; mobile apps).
 */
export type ClientMode = "cookie" | "body";

/** Options of {@link createClient}. Only `issuer` is required. */
export interface ClientOptions {
  /** The auth server's issuer URL, e.g. `https://auth.example.com`. https, or http on loopback. */
  issuer: string;
  /** Default: `cookie` in a browser (where `document` exists), `body` elsewhere. */
  mode?: ClientMode;
  /** Body mode: where the refresh token is kept. Default: in memory. */
  store?: TokenStore;
  fetch?: FetchLike;
  /** The local clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  timers?: TimersLike;
  /**
   * Refresh this many seconds before the access token expires. Default: 60 s or a tenth of the
   * token's lifetime, whichever is smaller; never more than half the lifetime.
   */
  refreshMargin?: number;
  /**
   * How long to wait for another tab's refresh before taking its lock (Web Locks `steal`), and for
   * a token another tab marked before refreshing anyway. Default 5000.
   */
  lockTimeoutMs?: number;
  /** Name of the cross-tab lock and channel. Default `sigil:<issuer>`. */
  channelName?: string;
  /**
   * The Web Locks manager. Default: `navigator.locks` in cookie mode, none in body mode;
   * `null` turns cross-tab locking off.
   */
  locks?: LockManagerLike | null;
  /**
   * Opens the cross-tab channel. Default: `BroadcastChannel` in cookie mode, none in body mode;
   * `null` turns cross-tab messages off.
   */
  broadcastChannel?: ((name: string) => BroadcastChannelLike) | null;
  /** Source of `online` events. Default: the window in browsers; `null` for none. */
  onlineEvents?: EventTargetLike | null;
}

/** Email and password for {@link SigilClient.signIn}. */
export interface Credentials {
  email: string;
  password: string;
}

/** The userinfo answer: at least `sub` and `email`; more claims may follow. */
export interface UserInfo {
  sub: string;
  email: string;
  [claim: string]: unknown;
}

/**
 * Why the client is signed out. `signOut`: {@link SigilClient.signOut} here. `otherTab`: another
 * tab signed out or lost the session. `sessionEnded`: the server refused to refresh; `keyword`
 * says why (`session_revoked`, `session_expired`, `refresh_token_reused`, `unknown_token`,
 * `missing_token`).
 */
export type SignedOutEvent =
  | { reason: "signOut" }
  | { reason: "otherTab" }
  | { reason: "sessionEnded"; keyword: string | undefined; error: SigilClientError };

/** The events of {@link SigilClient.on} and what their handlers receive. */
export interface ClientEvents {
  /** A session started: sign-in here or in another tab, or a session resumed from its cookie. */
  signedIn: undefined;
  signedOut: SignedOutEvent;
  /** A new access token replaced the previous one. */
  tokenRefreshed: undefined;
  /** A background refresh failed; with action "retry" the session is kept and retried. */
  error: unknown;
}

/** The client returned by {@link createClient}. Its methods may be passed around unbound. */
export interface SigilClient {
  /** Signs in with email and password; rejects with INVALID_CREDENTIALS, RATE_LIMITED, … */
  signIn(credentials: Credentials): Promise<void>;
  /** Ends the session at the server, then here and in the other tabs. */
  signOut(): Promise<void>;
  /** The signed-in user (GET /userinfo). */
  getUser(): Promise<UserInfo>;
  /** A valid access token, refreshed first if it is about to expire (one refresh for all callers). */
  getAccessToken(): Promise<string>;
  /** `fetch` with `Authorization: Bearer`; refreshes and retries once on a 401 `invalid_token`. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** `Bearer <access token>`, for an HTTP library's request hook. */
  authorizationHeader(): Promise<string>;
  /** Whether the client holds a session now (after a page load, once a token was obtained). */
  readonly isSignedIn: boolean;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof ClientEvents>(type: K, handler: (event: ClientEvents[K]) => void): () => void;
  /** Stops timers, the cross-tab channel and listeners. */
  close(): void;
}
