import type { AccessTokenPayload } from "@sigil/protocol";

/** A condition on verified claims that a route requires; unmet → 403 insufficient_scope. */
export interface AuthRequirement {
  readonly kind: "scope" | "role";
  readonly values: readonly string[];
  isMetBy(claims: AccessTokenPayload): boolean;
}

// Cached payloads are shared and frozen, so a parsed scope set can be reused per payload object.
const scopeSets = new WeakMap<object, ReadonlySet<string>>();
const NO_SCOPES: ReadonlySet<string> = new Set();

function scopesOf(claims: AccessTokenPayload): ReadonlySet<string> {
  let scopes = scopeSets.get(claims);
  if (scopes === undefined) {
    // RFC 9068 §2.2.3 / RFC 6749 §3.3: a space-delimited, case-sensitive list.
    scopes = typeof claims.scope === "string" ? new Set(claims.scope.split(" ").filter(Boolean)) : NO_SCOPES;
    scopeSets.set(claims, scopes);
  }
  return scopes;
}

function checkNames(kind: string, values: readonly string[]): readonly string[] {
  if (values.length === 0) throw new TypeError(`require${kind}() needs at least one name`);
  for (const value of values) {
    // RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E (no space, no quote, no backslash).
    if (typeof value !== "string" || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(value)) {
      throw new TypeError(`require${kind}(): ${JSON.stringify(value)} is not a valid name`);
    }
  }
  return Object.freeze([...values]);
}

/**
 * Requires every listed scope in the token's `scope` claim.
 *
 * @example
 * app.get("/accounts", sigilExpress(verifier, { require: requireScope("accounts:read") }), handler);
 */
export function requireScope(...scopes: string[]): AuthRequirement {
  const values = checkNames("Scope", scopes);
  return Object.freeze({
    kind: "scope" as const,
    values,
    isMetBy(claims: AccessTokenPayload): boolean {
      const granted = scopesOf(claims);
      for (const scope of values) if (!granted.has(scope)) return false;
      return true;
    },
  });
}

/**
 * Requires at least one of the listed roles in the token's `roles` claim (RFC 9068 §2.2.3.1):
 * roles are alternatives ("admin or auditor"), scopes are all required.
 *
 * @example
 * app.post("/admin", sigilExpress(verifier, { require: requireRole("admin") }), handler);
 */
export function requireRole(...roles: string[]): AuthRequirement {
  const values = checkNames("Role", roles);
  return Object.freeze({
    kind: "role" as const,
    values,
    isMetBy(claims: AccessTokenPayload): boolean {
      const held = claims.roles;
      if (!Array.isArray(held)) return false;
      for (const role of values) if (held.includes(role)) return true;
      return false;
    },
  });
}
