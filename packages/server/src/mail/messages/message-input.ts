import type { MailLink } from "./mail-link.js";

/** What the builders accept from the flows: checked, since a message cannot be recalled once sent. */

const CONTROL = /[\p{Cc}\p{Cf}]/u;

/** The product name: a line break in it would end the Subject header (the setting already refuses one). */
export function checkProduct(product: string): string {
  const trimmed = product.trim();
  if (trimmed === "" || trimmed.length > 64 || CONTROL.test(trimmed)) {
    throw new TypeError("product must be 1 … 64 characters without control characters");
  }
  return trimmed;
}

/** A one-time code: the flows choose its format; it must be visible characters that a person can type. */
export function checkCode(code: string): string {
  if (!/^[\x21-\x7e]{1,64}$/.test(code)) {
    throw new TypeError("code must be 1 … 64 printable ASCII characters without spaces");
  }
  return code;
}

/** Another address shown in a message (the new address of an email change). */
export function checkShownAddress(address: string): string {
  if (address.length > 254 || !/^[^@\s]+@[^@\s]+$/u.test(address) || CONTROL.test(address)) {
    throw new TypeError("the address shown must be one email address");
  }
  return address;
}

/** "15 minutes", "1 hour", "2 days": whole units only, as a person reads a deadline. */
export function describeMinutes(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60) {
    throw new TypeError("expiresInMinutes must be a whole number of minutes, 1 … 10080 (a week)");
  }
  const [count, unit] =
    minutes % 1440 === 0 ? [minutes / 1440, "day"] : minutes % 60 === 0 ? [minutes / 60, "hour"] : [minutes, "minute"];
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/** "2026-01-31 09:05 UTC": the server cannot know the reader's time zone, so it says which one it uses. */
export function describeTime(time: Date): string {
  if (Number.isNaN(time.getTime())) throw new TypeError("the time of the event is not a valid Date");
  return `${time.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** What every builder takes: the recipient and the product name (SIGIL_PRODUCT_NAME, `config.productName`). */
export interface MessageInput {
  /** One address; the mailer refuses anything else. */
  readonly to: string;
  readonly product: string;
}

/** What a message carrying a one-time code takes. */
export interface CodeMessageInput extends MessageInput {
  /** The code as the flow made it, shown as is. */
  readonly code: string;
  /** How long the code works; the message says so. */
  readonly expiresInMinutes: number;
  /** A link that does what typing the code does (mailLink on the issuer); without it, the message asks for the code only. */
  readonly link?: MailLink;
}
