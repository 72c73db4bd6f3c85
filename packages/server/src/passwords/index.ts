export { ARGON2_PARAMS } from "./argon2-params.js";
export { HashQueueFullError, UnsupportedHashError } from "./password-errors.js";
export { createPasswordHasher, needsRehash, type PasswordHasher } from "./password-hasher.js";
export { checkPasswordPolicy, type PasswordPolicyViolation, type PasswordRule } from "./password-policy.js";
