import type { SmtpServer } from "./config.js";
import { ConfigError } from "./config-error.js";

/** RFC 8314 §3.3: implicit TLS for submission; RFC 6409 §3.1: submission with STARTTLS. */
const DEFAULT_PORTS = { "smtps:": 465, "smtp:": 587 } as const;

const EXAMPLE = "smtps://user:password@smtp.example.com:465 or smtp://smtp.example.com:587";

/**
 * SIGIL_SMTP_URL: `smtp://` (plain connection, upgraded with STARTTLS when the server offers it)
 * or `smtps://` (TLS from the first byte), an optional `user:password@` (percent-encoded), a host
 * and an optional port; nothing else. nodemailer's own URL format also takes query options
 * (`?pool=true&tls.rejectUnauthorized=false`, …), which are refused here: every option Sigil
 * needs is set in code, and one of them would let a setting turn certificate checks off. Messages
 * never echo the URL, which holds the password.
 */
export function parseSmtpUrl(name: string, raw: string): Omit<SmtpServer, "requireTLS"> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL like ${EXAMPLE}`);
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new ConfigError(
      name,
      `must start with smtp:// or smtps:// (got the scheme ${url.protocol}); e.g. ${EXAMPLE}`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "") throw new ConfigError(name, `must name the mail server's host, like ${EXAMPLE}`);
  if (url.search !== "" || url.hash !== "" || raw.includes("?") || raw.includes("#")) {
    throw new ConfigError(name, "takes no query options or fragment: remove everything after ? or #");
  }
  if (url.pathname !== "" && url.pathname !== "/") {
    throw new ConfigError(name, "takes no path: remove everything after the host and port");
  }
  const port = url.port === "" ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  if (port === 0) throw new ConfigError(name, "has port 0; give the mail server's port, or none for the default");
  const secure = url.protocol === "smtps:";
  if (url.username === "" && url.password === "") return { host, port, secure };
  if (url.username === "" || url.password === "") {
    throw new ConfigError(name, "must give both a user and a password (user:password@host), or neither");
  }
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    throw new ConfigError(
      name,
      "has a malformed %-escape in its user or password; percent-encode @ : / % as %40 %3A %2F %25",
    );
  }
  return { host, port, secure, auth: { user, pass } };
}

/** `smtp://host:port` or `smtps://host:port`, with no credentials: for the start-up line and logs. */
export function describeSmtpServer(server: Pick<SmtpServer, "host" | "port" | "secure">): string {
  const host = server.host.includes(":") ? `[${server.host}]` : server.host;
  return `${server.secure ? "smtps" : "smtp"}://${host}:${server.port}`;
}
