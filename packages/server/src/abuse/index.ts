export { accountKey, addressKey, type BackoffPolicy, blockSeconds } from "./backoff.js";
export { DatabaseFailureStore } from "./database-failure-store.js";
export type { FailureStore } from "./failure-store.js";
export {
  createLoginRateLimiter,
  type LoginAttemptKeys,
  LoginRateLimiter,
  type LoginRateLimiterOptions,
  type RateLimitDecision,
} from "./login-rate-limiter.js";
export { MemoryFailureStore } from "./memory-failure-store.js";
