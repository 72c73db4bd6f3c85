/** One revocation of the feed (see the feed protocol): a whole session, or a user's tokens issued before a time. */
export type RevocationEntry =
  | { readonly id: number; readonly kind: "session"; readonly sid: string; readonly exp: number }
  | {
      readonly id: number;
      readonly kind: "user_before";
      readonly sub: string;
      readonly before: number;
      readonly exp: number;
    };

const MAX_ID_LENGTH = 256;

/** Validates one entry from the wire; undefined when it is not a well-formed entry. */
export function parseEntry(value: unknown): RevocationEntry | undefined {
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

function isSeconds(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function isIdentifier(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
