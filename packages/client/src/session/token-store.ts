/** What a {@link TokenStore} keeps between runs (body mode). */
export interface StoredTokens {
  /** Rotates on every refresh: the store must keep the newest, or the session is lost. */
  refreshToken: string;
}

/**
 * Where a body-mode client keeps the refresh token: in memory by default; a file, a keychain or an
 * encrypted cookie for a CLI or a server-side renderer. Each method may be synchronous or return a
 * promise. The client calls `save` with every new refresh token before it uses the new access
 * token, and `clear` when the session ends. Cookie mode never calls the store.
 *
 * @example
 * const store: TokenStore = {
 *   load: async () => JSON.parse(await readFile(path, "utf8").catch(() => "null")),
 *   save: (tokens) => writeFile(path, JSON.stringify(tokens), { mode: 0o600 }),
 *   clear: () => rm(path, { force: true }),
 * };
 */
export interface TokenStore {
  load(): StoredTokens | null | Promise<StoredTokens | null>;
  save(tokens: StoredTokens): void | Promise<void>;
  clear(): void | Promise<void>;
}

/**
 * The default store: the refresh token lives as long as the client's process or page.
 *
 * @example
 * const client = createClient({ issuer, mode: "body", store: memoryTokenStore() });
 */
export function memoryTokenStore(): TokenStore {
  let kept: StoredTokens | null = null;
  return {
    load: () => kept,
    save: (tokens) => {
      kept = { ...tokens };
    },
    clear: () => {
      kept = null;
    },
  };
}
