import type { MailAddress } from "./config.js";
import { ConfigError } from "./config-error.js";

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254 characters. */
const MAX_ADDRESS_LENGTH = 254;
/** Longer display names are cut by mail clients anyway; this is a product or team name. */
const MAX_NAME_LENGTH = 64;

/**
 * An ASCII addr-spec (RFC 5322 §3.4.1 dot-atom local part, RFC 1035 host name): what every mail
 * server accepts as a sender. Quoted local parts, address literals and internationalised
 * addresses (RFC 6531) are left out on purpose: the sender is the operator's own address, and a
 * plain one is the one that passes every relay and SPF/DKIM check.
 */
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Controls (a CR or LF would end the From header and start another one) and the quoting characters. */
const UNSAFE_NAME = /[\p{Cc}\p{Cf}"\\<>]/u;

/**
 * SIGIL_MAIL_FROM: `Display Name <address>` (the name may be in double quotes) or a bare address.
 * The name is kept as text: nodemailer quotes or encodes it when it writes the header, so a
 * comma or a non-ASCII letter in it is safe.
 */
export function parseMailFrom(name: string, raw: string): MailAddress {
  const example = "e.g. Sigil <no-reply@example.com>";
  const angle = /^(.*?)\s*<([^<>]*)>$/s.exec(raw);
  const address = (angle ? angle[2] : raw)?.trim() ?? "";
  const displayName = angle?.[1]?.trim().replace(/^"(.*)"$/s, "$1") ?? "";
  if (address.length > MAX_ADDRESS_LENGTH || !ADDRESS.test(address)) {
    throw new ConfigError(name, `must be an email address, optionally with a display name (${example})`);
  }
  if (displayName === "") return { address };
  if (displayName.length > MAX_NAME_LENGTH || UNSAFE_NAME.test(displayName)) {
    throw new ConfigError(
      name,
      `display name must be at most ${MAX_NAME_LENGTH} characters without quotes, backslashes, angle brackets or control characters (${example})`,
    );
  }
  return { name: displayName, address };
}
