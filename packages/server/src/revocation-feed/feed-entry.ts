import type { RevocationEntry } from "@sigil/protocol";

/** A `revocations` row as {@link REVOCATION_COLUMNS} selects it (numbers as text: bigint-safe on both drivers). */
export interface RevocationRow {
  id: string;
  kind: string;
  session_id: string | null;
  user_id: string | null;
  before_s: string | null;
  exp_s: string;
}

/**
 * The columns of a feed entry, rounded in SQL where the row's exact microseconds are still known.
 *
 * `before` is rounded UP. A token is void when `iat < before_time` (the server's own check in
 * store/revocations.ts compares exactly that), and `iat` is a whole number of seconds (RFC 7519
 * §2 NumericDate, as every issuer writes it). For an integer iat, `iat < t` ⟺ `iat < ceil(t)`,
 * so ceil gives the verifier exactly the server's verdict: a token issued in the same second but
 * before the revocation (iat = floor(t)) stays void — floor would let it through — and no token
 * with iat >= ceil(t) is refused. Rounding in JavaScript after a Date round trip would lose the
 * microseconds PostgreSQL keeps, and could round 12.0004 s down to 12.
 *
 * `exp` is rounded UP too: an entry may outlive its tokens by under a second, never the reverse.
 */
export const REVOCATION_COLUMNS = `id::text AS id, kind, session_id, user_id,
  ceil(extract(epoch FROM before_time))::bigint::text AS before_s,
  ceil(extract(epoch FROM expires_at))::bigint::text AS exp_s`;

/** Converts a row; undefined for a row that does not fit the protocol (the table's CHECK forbids those). */
export function toRevocationEntry(row: RevocationRow): RevocationEntry | undefined {
  const id = Number(row.id);
  const exp = Number(row.exp_s);
  if (!Number.isSafeInteger(id) || !Number.isSafeInteger(exp)) return undefined;
  if (row.kind === "session" && row.session_id !== null) {
    return { id, kind: "session", sid: row.session_id, exp };
  }
  if (row.kind === "user_before" && row.user_id !== null && row.before_s !== null) {
    const before = Number(row.before_s);
    if (!Number.isSafeInteger(before)) return undefined;
    return { id, kind: "user_before", sub: row.user_id, before, exp };
  }
  return undefined;
}
