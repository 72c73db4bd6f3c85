import { parseArgs } from "node:util";
import type { createClient } from "@sigil/server";
import { parseOrUsage, splitList } from "../lib/args.js";
import { EXIT_OK, usageError } from "../lib/errors.js";
import type { Command } from "./command.js";
import { loadServerConfig, loadServerModule } from "./serve-config.js";
import { openAdminDatabase } from "./serve-database.js";

type GrantType = Parameters<typeof createClient>[1]["grantTypes"][number];

/** What `--grant` accepts; createClient checks again. RFC 6749 §4.1, §4.3, §4.4, §6. */
const GRANTS: readonly GrantType[] = ["authorization_code", "client_credentials", "password", "refresh_token"];

/** What `--allow` grants beyond getting tokens; the server checks again. */
const PERMISSIONS = ["introspection", "revocation-feed"] as const;

function readPermissions(values: string[] | undefined): (typeof PERMISSIONS)[number][] {
  const permissions = splitList(values);
  for (const permission of permissions) {
    if (!(PERMISSIONS as readonly string[]).includes(permission)) {
      throw usageError(`unknown permission '${permission}' (choose from ${PERMISSIONS.join(", ")})`);
    }
  }
  return permissions as (typeof PERMISSIONS)[number][];
}

export const createClientCommand: Command = {
  name: "create",
  summary: "register an OAuth client and print its id and secret (shown once)",
  help: `Usage: sigil clients create --name NAME --grant GRANT [--grant GRANT …] [--audience AUD]
                            [--scope SCOPE …] [--allow PERMISSION …] [--public]
                            [--redirect-uri URI …] [--post-logout-redirect-uri URI …]
                            [--first-party]

Registers a client of the auth server and prints its client_id and client_secret. Only a hash
of the secret is stored: it is shown this once and cannot be shown again (create a new client
if it is lost). Web apps sign their users in with OpenID Connect (grant authorization_code,
with PKCE, and refresh_token for offline_access); service clients get service-to-service tokens
at /oauth/token (grant client_credentials, RFC 6749 §4.4); verifiers use theirs to call
/oauth/introspect and to subscribe to the revocation feed (/revocations/feed), which each need a
permission (--allow).

Options:
  --name NAME        a label for people (shown by 'sigil clients list')
  --grant GRANT      ${GRANTS.join(", ")}; repeat or separate with commas
  --audience AUD     the aud of its client_credentials tokens (default: the server's service
                     audience, SIGIL_SERVICE_AUDIENCE, else the issuer + /services — never the
                     users' audience)
  --scope SCOPE      a scope it may request; repeat or separate with commas or spaces
  --allow PERMISSION ${PERMISSIONS.join(", ")}: what it may do beyond getting tokens
                     (least privilege: nothing unless granted; repeat or separate with commas)
  --public           a client that cannot keep a secret (no secret; not for client_credentials):
                     a single-page or native app, which PKCE protects instead
  --redirect-uri URI where authorization codes may be sent, compared exactly (https; http only
                     on loopback); required with authorization_code; repeat for several
  --post-logout-redirect-uri URI
                     where RP-initiated logout may send the browser afterwards; repeat for several
  --first-party      your own app: its users are not asked for consent

It reads the same settings as 'sigil serve' (DATABASE_URL or SIGIL_DATA_DIR). With the embedded
PGlite database stop the server first (one process at a time).

Example:
  sigil clients create --name billing --grant client_credentials \\
    --audience https://billing.internal --scope invoices:read
  sigil clients create --name api-verifier --grant client_credentials --allow revocation-feed,introspection
  curl -u "CLIENT_ID:CLIENT_SECRET" -d grant_type=client_credentials http://localhost:3000/oauth/token
  sigil clients create --name bank --grant authorization_code,refresh_token --first-party \\
    --redirect-uri https://bank.example.com/callback --post-logout-redirect-uri https://bank.example.com/`,

  async run(args, context) {
    const { values } = parseOrUsage("clients create", () =>
      parseArgs({
        args: [...args],
        options: {
          name: { type: "string" },
          grant: { type: "string", multiple: true },
          audience: { type: "string" },
          scope: { type: "string", multiple: true },
          allow: { type: "string", multiple: true },
          public: { type: "boolean" },
          "redirect-uri": { type: "string", multiple: true },
          "post-logout-redirect-uri": { type: "string", multiple: true },
          "first-party": { type: "boolean" },
        },
        strict: true,
        allowPositionals: false,
      }),
    );
    if (values.name === undefined || values.name.trim() === "") throw usageError("--name is required");
    const grants = splitList(values.grant);
    if (grants.length === 0) throw usageError(`give at least one --grant (${GRANTS.join(", ")})`);
    for (const grant of grants) {
      if (!(GRANTS as readonly string[]).includes(grant)) {
        throw usageError(`unknown grant '${grant}' (choose from ${GRANTS.join(", ")})`);
      }
    }
    const scopes = splitList(values.scope).flatMap((scope) => scope.split(/\s+/));
    const permissions = readPermissions(values.allow);
    if (values.public === true && grants.includes("client_credentials")) {
      // RFC 6749 §4.4: only a confidential client may use client_credentials (createClient checks too).
      throw usageError("a public client cannot use the client_credentials grant: it has no secret to prove");
    }
    const config = await loadServerConfig(context.io.env);
    const { createClient } = await loadServerModule();
    const { db, close } = await openAdminDatabase(config, { purpose: "sigil clients create" });
    try {
      const created = await createClient(db, {
        name: values.name,
        grantTypes: grants as GrantType[],
        audience: values.audience,
        scopes,
        permissions,
        confidential: values.public !== true,
        redirectUris: values["redirect-uri"] ?? [],
        postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
        firstParty: values["first-party"] === true,
      }).catch((error: unknown) => {
        // createClient refuses bad input (a scope outside RFC 6749 §3.3, a public client with
        // client_credentials) with a TypeError whose message is meant for the operator.
        throw error instanceof TypeError ? usageError(error.message) : error;
      });
      context.out(`client_id:     ${created.client.id}`);
      if (created.secret !== null) context.out(`client_secret: ${created.secret}`);
      context.out(`grants:        ${created.client.grantTypes.join(", ")}`);
      // No --audience stores null: the server fills in its service audience when it signs, so
      // this is what a server with this environment uses (SIGIL_SERVICE_AUDIENCE, else issuer + /services).
      context.out(
        `audience:      ${created.client.audience ?? `${config.serviceAudience} (the server's service audience: SIGIL_SERVICE_AUDIENCE, else its issuer + /services, as this environment sets them; a server with other settings uses its own)`}`,
      );
      context.out(
        `permissions:   ${created.client.permissions.length > 0 ? created.client.permissions.join(", ") : "(none)"}`,
      );
      if (created.client.scopes.length > 0) context.out(`scopes:        ${created.client.scopes.join(" ")}`);
      for (const uri of created.client.redirectUris) context.out(`redirect_uri:  ${uri}`);
      for (const uri of created.client.postLogoutRedirectUris) context.out(`post_logout:   ${uri}`);
      if (created.client.grantTypes.includes("authorization_code")) {
        context.out(
          `first_party:   ${created.client.firstParty ? "yes (no consent page)" : "no (users see a consent page)"}`,
        );
      }
      if (created.secret !== null) {
        context.err(
          context.errStyle.yellow(
            "Store the secret now: only its hash is kept, so it cannot be shown again (if it is lost, create a new client).",
          ),
        );
      }
      return EXIT_OK;
    } finally {
      await close();
    }
  },
};

export const listClientsCommand: Command = {
  name: "list",
  summary: "list the registered OAuth clients (never their secrets)",
  help: `Usage: sigil clients list

Lists the auth server's registered clients, oldest first: id, name, grants, audience, scopes and
creation date. Secrets are never shown (only their hashes are stored).`,

  async run(args, context) {
    parseOrUsage("clients list", () =>
      parseArgs({ args: [...args], options: {}, strict: true, allowPositionals: false }),
    );
    const config = await loadServerConfig(context.io.env);
    const { listRegisteredClients } = await loadServerModule();
    const { db, close } = await openAdminDatabase(config, { purpose: "sigil clients list" });
    try {
      const clients = await listRegisteredClients(db);
      if (clients.length === 0) context.err("no clients registered (create one with 'sigil clients create')");
      for (const client of clients) {
        const parts = [
          client.id,
          `name=${JSON.stringify(client.name)}`,
          `grants=${client.grantTypes.join(",")}`,
          `audience=${client.audience ?? "(default)"}`,
          `scopes=${client.scopes.length > 0 ? client.scopes.join(",") : "(none)"}`,
          `allow=${client.permissions.length > 0 ? client.permissions.join(",") : "(none)"}`,
          ...(client.redirectUris.length > 0 ? [`redirect_uris=${client.redirectUris.join(",")}`] : []),
          ...(client.postLogoutRedirectUris.length > 0
            ? [`post_logout_redirect_uris=${client.postLogoutRedirectUris.join(",")}`]
            : []),
          ...(client.firstParty ? ["first-party"] : []),
          client.confidential ? "confidential" : "public",
          `created=${client.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z")}`,
        ];
        context.out(parts.join("  "));
      }
      return EXIT_OK;
    } finally {
      await close();
    }
  },
};

export const updateClientCommand: Command = {
  name: "update",
  summary: "change what a registered client may do (its permissions, its redirect URIs)",
  help: `Usage: sigil clients update CLIENT_ID [--allow PERMISSION[,PERMISSION] | --allow none]
                                      [--redirect-uri URI …] [--post-logout-redirect-uri URI …]

Replaces a client's permissions: ${PERMISSIONS.join(", ")}. Least privilege: a client may
introspect tokens or read the revocation feed (which carries user and session ids) only when
granted. '--allow none' takes every permission away. Only a confidential client can be granted
any: a public one has no secret to prove it is itself.

--redirect-uri and --post-logout-redirect-uri replace the lists of an authorization_code client
(every URI it should keep must be given again).

It reads the same settings as 'sigil serve' (DATABASE_URL or SIGIL_DATA_DIR). With the embedded
PGlite database stop the server first (one process at a time).

Example:
  sigil clients update client_abc123 --allow revocation-feed,introspection
  sigil clients update bank --redirect-uri https://bank.example.com/callback`,

  async run(args, context) {
    const { values, positionals } = parseOrUsage("clients update", () =>
      parseArgs({
        args: [...args],
        options: {
          allow: { type: "string", multiple: true },
          "redirect-uri": { type: "string", multiple: true },
          "post-logout-redirect-uri": { type: "string", multiple: true },
        },
        strict: true,
        allowPositionals: true,
      }),
    );
    const [clientId, extra] = positionals;
    if (clientId === undefined || extra !== undefined) throw usageError("give exactly one CLIENT_ID");
    const redirectUris = values["redirect-uri"];
    const postLogoutRedirectUris = values["post-logout-redirect-uri"];
    if (values.allow === undefined && redirectUris === undefined && postLogoutRedirectUris === undefined) {
      throw usageError(
        "nothing to change: give --allow (or --allow none), --redirect-uri or --post-logout-redirect-uri",
      );
    }
    const permissions =
      values.allow === undefined
        ? undefined
        : splitList(values.allow).includes("none")
          ? []
          : readPermissions(values.allow);
    const config = await loadServerConfig(context.io.env);
    const { setClientPermissions, setClientRedirectUris } = await loadServerModule();
    const { db, close } = await openAdminDatabase(config, { purpose: "sigil clients update" });
    const asUsage = (error: unknown): never => {
      throw error instanceof TypeError ? usageError(error.message) : error;
    };
    try {
      if (permissions !== undefined) {
        const client = await setClientPermissions(db, clientId, permissions).catch(asUsage);
        context.out(`${client.id}  allow=${client.permissions.length > 0 ? client.permissions.join(",") : "(none)"}`);
      }
      if (redirectUris !== undefined || postLogoutRedirectUris !== undefined) {
        const client = await setClientRedirectUris(db, clientId, {
          ...(redirectUris !== undefined ? { redirectUris } : {}),
          ...(postLogoutRedirectUris !== undefined ? { postLogoutRedirectUris } : {}),
        }).catch(asUsage);
        context.out(
          `${client.id}  redirect_uris=${client.redirectUris.join(",")}  post_logout_redirect_uris=${client.postLogoutRedirectUris.join(",") || "(none)"}`,
        );
      }
      return EXIT_OK;
    } finally {
      await close();
    }
  },
};

export const clientsCommand: Command = {
  name: "clients",
  summary: "manage the auth server's OAuth clients (clients create, list, update)",
  help: `Usage: sigil clients <command>

Manages the OAuth clients registered with the auth server: web apps that sign users in with
OpenID Connect (authorization_code), services that get tokens with client_credentials, and
verifiers that introspect tokens or follow the revocation feed.`,
  subcommands: [createClientCommand, listClientsCommand, updateClientCommand],
  run: () => Promise.reject(new Error("sigil clients is a command group: dispatch() runs its subcommands")),
};
