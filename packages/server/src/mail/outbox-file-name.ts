import { randomBytes } from "node:crypto";
import type { MailKind } from "./mailer.js";

/**
 * `2026-01-31T09-05-07.123Z-verification-code-1a2b3c4d.eml`: the ISO 8601 time first (fixed
 * width, so file names sort by time in any listing; `-` for `:`, which some file systems refuse),
 * the kind for a glance, and random hex so that two messages of one millisecond never collide.
 */
export function outboxFileName(time: number, kind: MailKind): string {
  const stamp = new Date(time).toISOString().replace(/:/g, "-");
  return `${stamp}-${kind}-${randomBytes(4).toString("hex")}.eml`;
}
