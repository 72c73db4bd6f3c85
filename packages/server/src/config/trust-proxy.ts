import { isIP } from "node:net";
import { ConfigError } from "./config-error.js";
import { parseBoolean } from "./parse-values.js";

const SETTING = "SIGIL_TRUST_PROXY";

/**
 * Fastify's `trustProxy`: whose X-Forwarded-For is believed. `true` believes every client, so
 * anyone can pick the address the rate limiter counts: a warning, and a list of the proxies'
 * addresses is the fix.
 */
export function parseTrustProxy(raw: string | undefined): { value: boolean | number | string[]; warning?: string } {
  if (raw === undefined) return { value: false };
  if (/^\d{1,2}$/.test(raw) && raw !== "0" && raw !== "1") return { value: Number(raw) };
  if (/^(true|false|yes|no|on|off|0|1)$/i.test(raw)) {
    const value = parseBoolean(SETTING, raw);
    return value
      ? {
          value,
          warning:
            "SIGIL_TRUST_PROXY=true believes X-Forwarded-For from any client, so failed-login limits per address can be evaded: list your proxies' addresses instead",
        }
      : { value };
  }
  const entries = raw.split(",").map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigError(
        SETTING,
        `must be true, false, a hop count, or comma-separated addresses / CIDR ranges like 10.0.0.0/8 (got ${JSON.stringify(entry)})`,
      );
    }
  }
  return { value: entries };
}
