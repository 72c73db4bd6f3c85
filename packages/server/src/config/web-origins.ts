import { ConfigError } from "./config-error.js";
import { isLoopbackHost } from "./issuer.js";

/**
 * Reads a list of web origins (`https://app.example.com, http://localhost:5173`): the sites
 * whose pages may use Sigil from the browser — sign-in pages may return to them, and their
 * scripts may call the API with the refresh cookie. Each must be an origin exactly (a scheme, a
 * host, a port; no path, no wildcard): a pattern would let any look-alike host in. http only
 * for a loopback host (load-config.ts refuses it in production).
 */
export function parseWebOrigins(name: string, raw: string): readonly string[] {
  const origins = raw
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  return Object.freeze([...new Set(origins.map((entry) => parseWebOrigin(name, entry)))]);
}

function parseWebOrigin(name: string, entry: string): string {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new ConfigError(name, `${JSON.stringify(entry)} is not an origin like https://app.example.com`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(name, `${JSON.stringify(entry)}: an origin is https:// (or http:// on loopback)`);
  }
  if (url.origin !== entry.replace(/\/$/, "")) {
    throw new ConfigError(
      name,
      `${JSON.stringify(entry)} must be an origin only — scheme, host and port, no path, query, user or wildcard (did you mean ${url.origin}?)`,
    );
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(
      name,
      `${JSON.stringify(entry)} uses http on a host that is not loopback: cookies and tokens would cross the network in clear; use https`,
    );
  }
  return url.origin;
}

/** An accent colour for the hosted pages: `#rgb` or `#rrggbb`, nothing that could end a CSS rule. */
export function parseAccentColor(name: string, raw: string): string {
  if (!/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(raw)) {
    throw new ConfigError(name, `must be a hex colour like #4f46e5 (got ${JSON.stringify(raw.slice(0, 40))})`);
  }
  return raw.toLowerCase();
}

/** A logo for the hosted pages: an https URL (or http on loopback), or a path on this server. */
export function parseLogoUrl(name: string, raw: string): string {
  if (raw.startsWith("/") && !raw.startsWith("//")) return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      `must be an https URL or a path starting with / (got ${JSON.stringify(raw.slice(0, 80))})`,
    );
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new ConfigError(name, `must be an https URL (got the scheme ${url.protocol})`);
  }
  return url.href;
}
