import { listClients } from "../store/clients.js";
import type { Queryable } from "../store/database.js";
import {
  authenticateClient,
  type ClientAuthentication,
  type ClientCredentialsRequest,
  requireAuthenticatedClient,
  requireIdentifiedClient,
} from "./authenticate-client.js";
import { type Client, toClient } from "./client.js";
import { type CreateClientInput, type CreatedClient, createClient } from "./create-client.js";

/**
 * The registered clients of one database, for the HTTP layer and the CLI.
 *
 * @example
 * const clients = new ClientRegistry(db);
 * const { client, secret } = await clients.create({ name: "billing", grantTypes: ["client_credentials"] });
 */
export class ClientRegistry {
  readonly #db: Queryable;

  constructor(db: Queryable) {
    this.#db = db;
  }

  create(input: CreateClientInput): Promise<CreatedClient> {
    return createClient(this.#db, input);
  }

  /** Every registered client, oldest first (for `sigil clients list`); never a secret or its hash. */
  async list(): Promise<Client[]> {
    return (await listClients(this.#db)).map(toClient);
  }

  /** See {@link authenticateClient}. Throws OAuthError invalid_client / invalid_request. */
  authenticate(request: ClientCredentialsRequest): Promise<ClientAuthentication> {
    return authenticateClient(this.#db, request);
  }

  /** See {@link requireAuthenticatedClient}. */
  requireAuthenticated(request: ClientCredentialsRequest): Promise<Client> {
    return requireAuthenticatedClient(this.#db, request);
  }

  /** See {@link requireIdentifiedClient}. */
  requireIdentified(request: ClientCredentialsRequest): Promise<Client> {
    return requireIdentifiedClient(this.#db, request);
  }
}
