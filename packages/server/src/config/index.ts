export type { LogLevel, RateLimitConfig, ServerConfig, ServerSigningAlg } from "./config.js";
export { ConfigError, isConfigError } from "./config-error.js";
export { loadConfig } from "./load-config.js";
export type { Setting } from "./setting.js";
export { findSetting, SETTINGS } from "./settings.js";
