import type { ClientEvents, ClientOptions, SigilClient, SignedOutEvent, UserInfo } from "./client-types.js";
import { errorFromResponse } from "./errors/from-response.js";
import { isSigilClientError, SigilClientError } from "./errors/sigil-client-error.js";
import { LOGIN_PATH, LOGOUT_PATH, REFRESH_PATH, USERINFO_PATH } from "./http/paths.js";
import { postAuth } from "./http/post-auth.js";
import { readTokenReply, type TokenReply } from "./http/token-reply.js";
import { isInvalidTokenChallenge } from "./http/www-authenticate.js";
import { createEmitter } from "./lib/emitter.js";
import { resolveOptions } from "./options.js";
import { createRefreshScheduler } from "./session/refresh-scheduler.js";
import { createServerClock } from "./session/server-clock.js";
import { createTabSync, type TabMessage } from "./tabs/tab-sync.js";

/**
 * Creates a client for a Sigil auth server. The access token lives in memory only; the refresh
 * token in an HttpOnly cookie (cookie mode) or in the `store` (body mode).
 *
 * @example
 * const client = createClient({ issuer: "https://auth.example.com" });
 * client.on("signedOut", () => showSignInForm());
 * await client.signIn({ email, password });
 * const orders = await (await client.fetch("https://api.example.com/orders")).json();
 */
export function createClient(options: ClientOptions): SigilClient {
  const config = resolveOptions(options);
  const { cookie, store } = config;
  const endpoint = { base: config.base, cookie, fetch: config.fetch };
  const events = createEmitter<ClientEvents>();
  const clock = createServerClock(config.now);
  let token: string | undefined;
  /** The access token's expiry on the server's clock, ms. */
  let expiresAt = 0;
  /** The access token's lifetime, seconds. */
  let lifetime = 0;
  /** Body mode: the newest refresh token (also in the store). */
  let refreshToken: string | undefined;
  /** Bumped by every sign-in and sign-out, so that a refresh started before one cannot undo it. */
  let generation = 0;
  let inflight: Promise<string> | undefined;

  const marginMs = (): number =>
    // Never more than half the lifetime: a margin above it would refresh again at once, forever.
    Math.min(config.refreshMargin ?? Math.min(60, lifetime / 10), lifetime / 2) * 1000;
  /** Whether a token expiring at `at` (server time) is still good for use without a refresh. */
  const freshUntil = (at: number): boolean => clock.now() < at - marginMs();
  const isFresh = (): boolean => token !== undefined && freshUntil(expiresAt);
  /** Whether to wait, holding the lock, for a token another tab marked: newer than ours, and fresh. */
  const wantsMarked = (at: number): boolean => at > expiresAt && freshUntil(at);
  const loadRefreshToken = async (): Promise<string | undefined> =>
    (refreshToken ??= (await config.store.load())?.refreshToken);

  const scheduler = createRefreshScheduler({
    timers: config.timers,
    online: config.online,
    refresh: async () => token !== undefined && refresh(token),
    report: (error) => events.emit("error", error),
  });
  const tabs = createTabSync(
    {
      name: config.channelName,
      locks: config.locks,
      channel: config.channel,
      lockTimeoutMs: config.lockTimeoutMs,
      timers: config.timers,
    },
    receive,
  );

  function setToken(next: string, nextExpiresAt: number, nextLifetime: number, event?: "signedIn"): void {
    const wasSignedIn = token !== undefined;
    token = next;
    expiresAt = nextExpiresAt;
    lifetime = nextLifetime;
    scheduler.planIn(expiresAt - marginMs() - clock.now());
    events.emit(event ?? (wasSignedIn ? "tokenRefreshed" : "signedIn"), undefined);
  }

  async function accept(reply: TokenReply, event?: "signedIn"): Promise<string> {
    if (!cookie) {
      if (!reply.refreshToken) throw new SigilClientError("BAD_RESPONSE");
      // Saved before the new access token is used: the old refresh token is spent now.
      refreshToken = reply.refreshToken;
      await store.save({ refreshToken });
    }
    if (reply.serverDate !== undefined) clock.learn(reply.serverDate, reply.receivedAt);
    const exp = clock.toServer(reply.receivedAt) + reply.expiresIn * 1000;
    setToken(reply.accessToken, exp, reply.expiresIn, event);
    share();
    return reply.accessToken;
  }

  /** Sends this tab's token to the others. */
  function share(): void {
    if (token !== undefined) tabs.post({ type: "token", token, expiresAt, lifetime, serverNow: clock.now() });
  }

  async function requestTokens(path: string, body: Record<string, string | undefined>): Promise<TokenReply> {
    const response = await postAuth(endpoint, path, body);
    return readTokenReply(response, config.now());
  }

  async function end(event: SignedOutEvent): Promise<void> {
    const wasSignedIn = token !== undefined;
    generation++;
    token = refreshToken = undefined;
    expiresAt = 0;
    scheduler.stop();
    if (!cookie) await store.clear();
    if (event.reason !== "otherTab") tabs.post({ type: "signedOut" });
    if (wasSignedIn || event.reason === "signOut") events.emit("signedOut", event);
  }

  function receive(message: TabMessage): void {
    if (message.type === "signedOut") {
      // No caller to reject: a store that fails to clear is reported like a background failure.
      if (token !== undefined) end({ reason: "otherTab" }).catch((error: unknown) => events.emit("error", error));
    } else if (message.type === "ask") {
      // The lock holder saw the mark of a token it lacks: whoever has it sends it again.
      if (expiresAt >= message.expiresAt) share();
    } else if (message.expiresAt > expiresAt) {
      // Tabs share one local clock, and the sender has just heard the server: its offset is the
      // freshest there is. Keeping an older one would misplace the token's expiry whenever the
      // local clock has jumped since this tab last heard the server (the token would look
      // expired, and every tab would refresh in turn).
      clock.learn(message.serverNow, config.now());
      setToken(message.token, message.expiresAt, message.lifetime);
    }
  }

  /** One refresh at a time: per tab (a shared promise) and among tabs (the lock). */
  function refresh(stale: string | undefined): Promise<string> {
    const started = generation;
    inflight ??= tabs
      .withLock(async () => {
        // Another tab (or a sign-in here) may have brought a token while this one waited.
        if (token !== undefined && token !== stale && isFresh()) return token;
        const current = cookie ? undefined : await loadRefreshToken();
        if (!cookie && !current) throw new SigilClientError("NOT_SIGNED_IN");
        const reply = await requestTokens(REFRESH_PATH, cookie ? {} : { refresh_token: current });
        if (generation !== started) throw new SigilClientError("NOT_SIGNED_IN");
        const fresh = await accept(reply);
        // Before the lock is let go: the tabs waiting for it learn that a newer token is on its way.
        await tabs.mark(expiresAt);
        return fresh;
      }, wantsMarked)
      .catch(async (error: unknown) => {
        if (isSigilClientError(error) && error.action === "signIn" && generation === started) {
          await end({ reason: "sessionEnded", keyword: error.keyword, error });
        }
        throw error;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  async function getAccessToken(): Promise<string> {
    if (token !== undefined && isFresh()) return token;
    const stale = token;
    try {
      return await refresh(stale);
    } catch (error) {
      // A refresh that failed for a "retry" reason does not make a still valid token unusable.
      // (A "signIn" failure has cleared it; a token here then comes from a sign-in meanwhile.)
      if (token !== undefined && clock.now() < expiresAt) return token;
      throw error;
    }
  }

  async function authorizedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    // Built once and cloned per attempt, so that a body can be sent again on the retry.
    const request = new Request(input, init);
    const send = (accessToken: string): Promise<Response> => {
      const attempt = request.clone();
      attempt.headers.set("authorization", `Bearer ${accessToken}`);
      return config.fetch(attempt);
    };
    const first = await getAccessToken();
    const response = await send(first);
    if (response.status !== 401 || !isInvalidTokenChallenge(response)) return response;
    // RFC 6750 §3.1 invalid_token: refused (revoked, or expired by the server's clock). One
    // refresh and one retry, never more: a second refusal is the answer.
    await response.body?.cancel();
    return send(await refresh(first));
  }

  return {
    async signIn({ email, password }) {
      const reply = await requestTokens(LOGIN_PATH, { email, password });
      generation++;
      await accept(reply, "signedIn");
    },
    async signOut() {
      const current = cookie ? undefined : await loadRefreshToken();
      if (cookie || current) {
        try {
          await postAuth(endpoint, LOGOUT_PATH, cookie ? {} : { refresh_token: current });
        } catch (error) {
          // Only invalid_grant (the session or token is unknown or over) means there is nothing
          // left to end. Otherwise the session may live on at the server, and a cookie-mode
          // reload would resume it: stay signed in and let the app retry or say so.
          if (!isSigilClientError(error, "SESSION_ENDED") && !isSigilClientError(error, "NOT_SIGNED_IN")) throw error;
        }
      }
      await end({ reason: "signOut" });
    },
    async getUser() {
      const response = await authorizedFetch(config.base + USERINFO_PATH).catch((cause: unknown) => {
        throw isSigilClientError(cause) ? cause : new SigilClientError("NETWORK_ERROR", { cause });
      });
      if (!response.ok) throw await errorFromResponse(response, USERINFO_PATH);
      const user = (await response.json().catch(() => null)) as UserInfo | null;
      if (typeof user?.sub !== "string") throw new SigilClientError("BAD_RESPONSE", { status: response.status });
      return user;
    },
    getAccessToken,
    fetch: authorizedFetch,
    authorizationHeader: async () => `Bearer ${await getAccessToken()}`,
    get isSignedIn() {
      return token !== undefined;
    },
    on: events.on,
    close() {
      scheduler.close();
      tabs.close();
    },
  };
}
