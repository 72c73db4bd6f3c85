import type { ServerConfig } from "../../src/config/config.js";
import { loadConfig } from "../../src/config/index.js";

/**
 * A development configuration as loadConfig builds it, with overrides. The per-address login
 * back-off is raised so a suite's many deliberate failures from 127.0.0.1 do not throttle each
 * other (the rate-limit tests set their own limits).
 */
export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const base = loadConfig({
    SIGIL_ENV: "development",
    SIGIL_ISSUER: "http://127.0.0.1:3000",
    SIGIL_LOG_FORMAT: "json",
  });
  return { ...base, rateLimit: { ...base.rateLimit, addressFreeFailures: 10_000 }, ...overrides };
}
