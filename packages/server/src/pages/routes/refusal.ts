import type { FastifyReply } from "fastify";
import { isAuthError } from "../../auth/auth-error.js";
import { type PageMessage, pageMessageOf } from "../page-errors.js";

/**
 * A refused operation as a form shows it: the message (next to its field — `fieldNames` maps the
 * operation's field names to the form's), the status to answer with, and Retry-After when the
 * refusal is a back-off. Anything that is not a person's to fix is thrown on to the error
 * handler.
 */
export function refusedWith(
  error: unknown,
  reply: FastifyReply,
  fieldNames: Partial<Record<string, string>> = {},
): { message: PageMessage; status: number } {
  const message = pageMessageOf(error, fieldNames);
  if (message === undefined || !isAuthError(error)) throw error;
  if (error.retryAfterSeconds !== undefined) reply.header("retry-after", String(error.retryAfterSeconds));
  return { message, status: error.status };
}
