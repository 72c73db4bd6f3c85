import { AuthError } from "./auth-error.js";

/**
 * Runs password-hash work, turning the hasher's "queue full" refusal into a 503 with Retry-After
 * (issue 3: a login flood must be answered, not queued without bound). Recognized by name so the
 * auth layer does not depend on the hasher's module.
 */
export async function withHashing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Error && error.name === "HashQueueFullError") {
      const retry = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      throw new AuthError("hash_queue_full", { retryAfterSeconds: typeof retry === "number" ? retry : 1 });
    }
    throw error;
  }
}
