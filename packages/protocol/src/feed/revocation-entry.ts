/**
 * One revocation as the feed carries it (docs/revocation-feed.md, "Entries"): a whole session, or
 * every token of a user issued before a time. Times are whole epoch seconds; `id` is the feed's
 * event id, increasing with every revocation the auth server records. All three are non-negative
 * safe integers (at most 2^53 - 1, so every JSON parser reads them exactly).
 */
export type RevocationEntry =
  | { readonly id: number; readonly kind: "session"; readonly sid: string; readonly exp: number }
  | {
      readonly id: number;
      readonly kind: "user_before";
      readonly sub: string;
      readonly before: number;
      readonly exp: number;
    };

/** Identifiers longer than this are not ours (Sigil's ids are 22 characters). */
const MAX_ID_LENGTH = 256;

/**
 * Validates one entry from the wire (the parsed JSON of a `revocation` event, or one member of a
 * snapshot's `revocations`); undefined when it is not a well-formed entry. Unknown members are
 * ignored, so a later server may add some without breaking older verifiers.
 */
export function parseRevocationEntry(value: unknown): RevocationEntry | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  const { id, kind, exp } = entry;
  if (!Number.isSafeInteger(id) || (id as number) < 0 || !isSeconds(exp)) return undefined;
  if (kind === "session") {
    const sid = entry["sid"];
    if (!isIdentifier(sid)) return undefined;
    return { id: id as number, kind, sid, exp };
  }
  if (kind === "user_before") {
    const { sub, before } = entry;
    if (!isIdentifier(sub) || !isSeconds(before)) return undefined;
    return { id: id as number, kind, sub, before, exp };
  }
  return undefined;
}

/**
 * The entry's JSON, built member by member so that only protocol members go out — never a
 * database row's reason, or the user of a session revocation.
 */
export function serializeRevocationEntry(entry: RevocationEntry): string {
  if (entry.kind === "session") {
    return JSON.stringify({ id: entry.id, kind: entry.kind, sid: entry.sid, exp: entry.exp });
  }
  return JSON.stringify({ id: entry.id, kind: entry.kind, sub: entry.sub, before: entry.before, exp: entry.exp });
}

/** Whole epoch seconds: the server rounds before sending (see the server's feed-entry.ts), so a fraction is not ours. */
function isSeconds(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isIdentifier(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
