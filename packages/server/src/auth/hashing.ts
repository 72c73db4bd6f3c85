import { HashQueueFullError } from "../passwords/index.js";
import { AuthError } from "./auth-error.js";

/**
 * Runs password-hash work, turning the hasher's "queue full" refusal into a 503 with Retry-After:
 * a login flood must be answered, not queued without bound.
 */
export async function withHashing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HashQueueFullError) {
      throw new AuthError("hash_queue_full", { retryAfterSeconds: error.retryAfterSeconds });
    }
    throw error;
  }
}
