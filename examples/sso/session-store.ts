// An app's server-side sessions. The browser holds only an opaque, random session id in an
// HttpOnly cookie; the tokens stay here. Kept in memory and mirrored to a JSON file (mode 0600)
// so that restarting an app keeps its users signed in, and so that you can look at what an app
// holds. The file is keyed by SHA-256 of the id, so it does not hold the cookies' values.
import { createHash, randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";

/** What a sign-in in progress must remember between the redirect to Sigil and the callback. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The tokens of a signed-in session, and who it is. */
export interface SessionTokens {
  accessToken: string;
  /** When the access token expires (ms since the epoch): refreshed a little before. */
  accessTokenExpiresAt: number;
  refreshToken: string | undefined;
  /** Kept for RP-initiated logout's id_token_hint. */
  idToken: string;
  sub: string;
  email: string | undefined;
}

export interface SessionData {
  pending?: PendingSignIn;
  tokens?: SessionTokens;
  /** An absolute lifetime (ms since the epoch): the session is gone after it. */
  expiresAt: number;
}

/** A session lives at most this long, whatever its tokens say. */
const SESSION_LIFETIME_MS = 8 * 3600_000;
/** A sign-in that has not come back from Sigil after this long is abandoned. */
const PENDING_LIFETIME_MS = 10 * 60_000;

export class SessionStore {
  readonly #file: string;
  readonly #sessions = new Map<string, SessionData>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.#file = file;
  }

  /** Opens the store kept in `file` (created, empty, if missing). */
  static async open(file: string): Promise<SessionStore> {
    const store = new SessionStore(file);
    try {
      const saved = JSON.parse(await readFile(file, "utf8")) as Record<string, SessionData>;
      for (const [key, data] of Object.entries(saved)) store.#sessions.set(key, data);
    } catch {
      // No file yet (or an unreadable one): start empty.
    }
    await store.#save();
    return store;
  }

  /** A new session for a sign-in about to start; returns the id for the cookie. */
  async startSignIn(pending: PendingSignIn): Promise<string> {
    return this.#create({ pending, expiresAt: Date.now() + PENDING_LIFETIME_MS });
  }

  /**
   * A signed-in session under a NEW id: the id the sign-in started with is dropped, so an id
   * planted in the browser before sign-in never becomes a signed-in one (session fixation).
   */
  async signedIn(previousId: string, tokens: SessionTokens): Promise<string> {
    this.#sessions.delete(key(previousId));
    return this.#create({ tokens, expiresAt: Date.now() + SESSION_LIFETIME_MS });
  }

  get(id: string | undefined): SessionData | undefined {
    if (id === undefined) return undefined;
    const data = this.#sessions.get(key(id));
    if (data === undefined || data.expiresAt > Date.now()) return data;
    this.#sessions.delete(key(id));
    return undefined;
  }

  async updateTokens(id: string, tokens: SessionTokens): Promise<void> {
    const data = this.get(id);
    if (data === undefined) return;
    data.tokens = tokens;
    await this.#save();
  }

  async delete(id: string | undefined): Promise<void> {
    if (id === undefined || !this.#sessions.delete(key(id))) return;
    await this.#save();
  }

  async #create(data: SessionData): Promise<string> {
    const id = randomBytes(32).toString("base64url");
    this.#sessions.set(key(id), data);
    await this.#save();
    return id;
  }

  /** Writes the whole store (a temporary file renamed over it), one write after another. */
  #save(): Promise<void> {
    const snapshot = JSON.stringify(Object.fromEntries(this.#sessions), null, 2);
    this.#writes = this.#writes.then(async () => {
      await writeFile(`${this.#file}.tmp`, `${snapshot}\n`, { mode: 0o600 });
      await rename(`${this.#file}.tmp`, this.#file);
    });
    return this.#writes;
  }
}

function key(id: string): string {
  return createHash("sha256").update(id).digest("base64url");
}
