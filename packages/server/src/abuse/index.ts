// Abuse throttling: sign-in attempts (per account, device and address) and registrations, on
// one counting rule (backoff.ts) and two stores (memory, database). This file only re-exports.
export type { AttemptStore, CountedKey } from "./attempt-store.js";
export {
  type AttemptState,
  accountKey,
  addressKey,
  type BackoffPolicy,
  blockSeconds,
  deviceKey,
  nextAttemptState,
  refundedState,
} from "./backoff.js";
export { DatabaseAttemptStore } from "./database-attempt-store.js";
export {
  createAttemptStore,
  createLoginRateLimiter,
  type LoginAttempt,
  type LoginAttemptDecision,
  type LoginAttemptKeys,
  LoginRateLimiter,
  type LoginRateLimiterOptions,
} from "./login-rate-limiter.js";
export { MemoryAttemptStore } from "./memory-attempt-store.js";
export { RegistrationLimiter, type RegistrationLimits } from "./registration-limiter.js";
