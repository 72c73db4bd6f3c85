/**
 * A token-controlled value made safe for an error message: quoted, printable ASCII only, and
 * short. Messages end up in logs, so a header value must not inject lines or flood them.
 * Only ever called for header parameters (alg, typ, kid) — never for a whole token or a key.
 */
export function printable(value: unknown, maxLength = 40): string {
  if (typeof value !== "string")
    return value === undefined ? "(none)" : `(a ${value === null ? "null" : typeof value})`;
  let out = "";
  for (let i = 0; i < value.length && i < maxLength; i++) {
    const code = value.charCodeAt(i);
    out += code >= 0x20 && code < 0x7f && code !== 0x22 && code !== 0x5c ? value[i] : "?";
  }
  return `"${out}${value.length > maxLength ? "…" : ""}"`;
}
