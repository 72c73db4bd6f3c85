// The keys module: signing keys in the database, encrypted at rest, rotated on a schedule.

export { announceKeyChange, KEY_CHANGES_CHANNEL } from "./key-change-channel.js";
export {
  isSealed,
  KeyEncryptionError,
  type KeyEncryptionErrorCode,
  openPrivateKey,
  sealPrivateKey,
} from "./key-encryption.js";
export { KeyManager, type KeyManagerOptions, type ScheduleOptions } from "./key-manager.js";
export { type KeyConfig, publishLeadMs, reloadIntervalMs, retainMs } from "./key-timeline.js";
export {
  deleteExpiredKeys,
  KeyManagementError,
  type RotateKeysOptions,
  type RotationResult,
  rotateKeys,
} from "./rotate-keys.js";
