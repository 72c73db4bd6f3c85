import { isIP } from "node:net";
import { ConfigError } from "./config-error.js";

const SETTING = "SIGIL_ISSUER";

/**
 * Checks and normalizes the issuer URL. RFC 8414 §2: an https URL with no query or fragment;
 * http is accepted only for a loopback host (local development and tests), where no network
 * attacker sits between the parties. A trailing slash is dropped so `iss` has one spelling.
 */
export function parseIssuer(raw: string, options: { production: boolean }): { issuer: string; warning?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      SETTING,
      `must be an absolute URL like https://auth.example.com (got ${JSON.stringify(raw)})`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(SETTING, `must be an https URL (got the scheme ${url.protocol})`);
  }
  if (url.search !== "" || url.hash !== "" || raw.includes("?") || raw.includes("#")) {
    throw new ConfigError(SETTING, "must not have a query or fragment (RFC 8414 §2); remove everything after ? or #");
  }
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(SETTING, "must not contain a user name or password; remove the user:pass@ part");
  }
  const issuer = url.href.replace(/\/+$/, "");
  if (url.protocol === "https:") return { issuer };
  if (!isLoopbackHost(url.hostname)) {
    if (options.production) {
      throw new ConfigError(
        SETTING,
        `must use https in production (got ${issuer}); tokens and passwords would cross the network in clear`,
      );
    }
    return { issuer, warning: `issuer ${issuer} uses http on a non-loopback host: use https outside development` };
  }
  return {
    issuer,
    warning: `issuer ${issuer} uses http (loopback only): use https for anything reachable from outside`,
  };
}

/** localhost, *.localhost (RFC 6761 §6.3), 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}
