/**
 * Reading a submitted form. The form parser gives a string per field, or an array when a field
 * came twice; a page treats a repeated or oversized field as not sent (the form is shown again
 * with the field's error), so a crafted body gets a clear answer and no operation ever sees it.
 */
export type FormBody = Record<string, string | string[] | undefined> | undefined | null;

/** Field size bounds, generous for people and tight for crafted bodies. */
export const FIELD_LIMITS = {
  email: 320,
  password: 4096,
  code: 32,
  token: 160,
  id: 64,
  returnTo: 2048,
} as const;

export function field(body: FormBody, name: string, maxLength: number): string | undefined {
  const value = typeof body === "object" && body !== null ? body[name] : undefined;
  if (typeof value !== "string" || value.length > maxLength) return undefined;
  return value;
}

/** An email field: trimmed (a pasted address often carries a space), undefined when empty. */
export function emailField(body: FormBody, name = "email"): string | undefined {
  const value = field(body, name, FIELD_LIMITS.email)?.trim();
  return value === "" ? undefined : value;
}

/** A password field: kept as typed (spaces are part of a passphrase). */
export function passwordField(body: FormBody, name: string): string | undefined {
  const value = field(body, name, FIELD_LIMITS.password);
  return value === "" ? undefined : value;
}
