import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServerConfig } from "../config/config.js";
import { formatSeconds } from "../config/parse-values.js";
import type { PAGE_PATHS } from "../routes/paths.js";
import type { PageMessage } from "./page-errors.js";

/**
 * What every hosted page's template receives. Values are plain strings: the templates print them
 * with eta's escaping `<%= %>` (never by hand), so a name or address cannot become markup.
 */
export interface PageModel {
  title: string;
  /** The issuer's path ("" at the root): every link and form action starts with it. */
  base: string;
  /** Where each page is (routes/paths.ts PAGE_PATHS), for links and form actions. */
  paths: typeof PAGE_PATHS;
  brand: { productName: string; logoUrl?: string };
  /** The CSRF token every form carries. */
  csrf: string;
  /** The signed-in user, for the footer and the account pages. */
  user?: { email: string; verified: boolean; since: string };
  /** A confirmation at the top of the page. */
  notice?: string;
  /** A refusal that belongs to no single field. */
  formError?: string;
  /** Refusals tied to a field, by field name. */
  errors: Record<string, string>;
  /** Values to show again in the form (never a password, code or token). */
  values: Record<string, string>;
  /** The wide layout (the account page). */
  wide?: boolean;
  [key: string]: unknown;
}

export type PageExtras = Partial<PageModel> & Record<string, unknown>;

/** Confirmation notices a redirect may ask for (`?notice=`): fixed words, never text from the URL. */
export const NOTICES = {
  signed_out: "You have signed out.",
  email_verified: "Your email address is verified. You can sign in now.",
  password_reset: "Your password has been changed and every device was signed out. Sign in with your new password.",
  password_changed: "Your password has been changed. Your other sessions were signed out.",
  session_ended: "That session has been signed out.",
  others_ended: "Every other session has been signed out.",
  email_changed: "Your email address has been changed.",
  verify_sent: "If that address has an account waiting for verification, we sent it a new code.",
  app_revoked: "That app's access has been taken back, and it has been signed out.",
  reauthenticate: "The app you came from asks you to sign in again to continue.",
} as const;
export type NoticeKey = keyof typeof NOTICES;

export function noticeOf(request: FastifyRequest): string | undefined {
  const key = (request.query as Record<string, unknown> | undefined)?.notice;
  return typeof key === "string" && Object.hasOwn(NOTICES, key) ? NOTICES[key as NoticeKey] : undefined;
}

export function issuerBase(config: Pick<ServerConfig, "issuer">): string {
  return new URL(config.issuer).pathname.replace(/\/+$/, "");
}

/** The lifetime of a code in words ("15 minutes"), for the pages that ask for one. */
export function lifetimeInWords(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return `${seconds / 60} minutes`;
  return formatSeconds(seconds);
}

/** Puts a refusal where the page shows it: next to its field, or at the top of the form. */
export function withMessage(extras: PageExtras, message: PageMessage): PageExtras {
  if (message.field === undefined) return { ...extras, formError: message.text };
  return { ...extras, errors: { ...(extras.errors ?? {}), [message.field]: message.text } };
}

export type RenderPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  extras: PageExtras & { title: string },
  status?: number,
) => Promise<FastifyReply>;
