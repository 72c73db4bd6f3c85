import { listClients } from "../store/clients.js";
import type { Queryable } from "../store/database.js";
import { type Client, toClient } from "./client.js";

/**
 * Every registered client, oldest first (for `sigil clients list`); never a secret or its hash.
 *
 * @example
 * for (const client of await listRegisteredClients(db)) console.log(client.id, client.name);
 */
export async function listRegisteredClients(db: Queryable): Promise<Client[]> {
  return (await listClients(db)).map(toClient);
}
