import { findClient, setClientPermissions } from "../store/clients.js";
import type { Queryable } from "../store/database.js";
import { CLIENT_PERMISSIONS, type Client, type ClientPermission, toClient } from "./client.js";
import { OAuthError } from "./oauth-error.js";

/**
 * The permissions as given, deduplicated; TypeError for an unknown one, or for any permission
 * asked for a public client: it cannot authenticate, so nothing it is granted could be tied to it.
 */
export function checkPermissions(
  permissions: readonly string[],
  client: { confidential: boolean },
): ClientPermission[] {
  for (const permission of permissions) {
    if (!(CLIENT_PERMISSIONS as readonly string[]).includes(permission)) {
      throw new TypeError(
        `unknown permission: ${JSON.stringify(permission)} (known: ${CLIENT_PERMISSIONS.join(", ")})`,
      );
    }
  }
  if (permissions.length > 0 && !client.confidential) {
    throw new TypeError("a public client cannot be granted permissions: it has no secret to prove it is itself");
  }
  return [...new Set(permissions as readonly ClientPermission[])];
}

/**
 * Replaces the permissions of a registered client (`sigil clients update --allow …`). Throws
 * TypeError for an unknown client or permission.
 *
 * @example
 * await setPermissions(db, "client_abc", ["revocation-feed"]);
 */
export async function setPermissions(db: Queryable, clientId: string, permissions: readonly string[]): Promise<Client> {
  const row = await findClient(db, clientId);
  if (row === null) throw new TypeError(`no client ${JSON.stringify(clientId)} is registered`);
  const checked = checkPermissions(permissions, { confidential: row.secretHash !== null });
  const updated = await setClientPermissions(db, clientId, checked);
  if (updated === null) throw new TypeError(`no client ${JSON.stringify(clientId)} is registered`);
  return toClient(updated);
}

/**
 * Refuses a client that lacks a permission: 403 `unauthorized_client` — authenticated, but not
 * allowed this (RFC 6749 §5.2's code for a client not authorized for what it asks). The
 * description names the grant to make: the caller is the operator's own service.
 */
export function requirePermission(client: Client, permission: ClientPermission): void {
  if (client.permissions.includes(permission)) return;
  throw new OAuthError(
    "unauthorized_client",
    `This client is not allowed ${permission === "introspection" ? "to introspect tokens" : "to read the revocation feed"}; grant it with \`sigil clients update ${client.id} --allow ${permission}\`.`,
    { status: 403, reason: `client lacks the ${permission} permission` },
  );
}
