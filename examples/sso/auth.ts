// The Sigil auth server of the example (embedded PGlite): its hosted pages sign people in, its
// OpenID Connect endpoints serve the two web apps, its revocation feed keeps the APIs' verifiers
// current. On start it registers the example's clients, once: later starts reuse them.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  authenticateClient,
  type CreateClientInput,
  createClient,
  type Database,
  loadConfig,
  setClientRedirectUris,
  startServer,
} from "@sigil/server";
import { CLIENT_NAMES, type ClientCredentials, type ExampleClients, readExampleConfig } from "./config.js";

const example = readExampleConfig();
await mkdir(example.dataDir, { recursive: true, mode: 0o700 });

const config = loadConfig({
  ...process.env,
  SIGIL_HOST: "127.0.0.1",
  SIGIL_PORT: String(example.authPort),
  SIGIL_ISSUER: example.issuer,
  SIGIL_AUDIENCE: example.audience,
  SIGIL_DATA_DIR: join(example.dataDir, "db"),
  // A line per request is noise in a walk-through; warnings and errors still show.
  SIGIL_LOG_LEVEL: process.env["SIGIL_LOG_LEVEL"] ?? "warn",
});
const server = await startServer(config);
await ensureClients(server.db);
// So that the README's "stop only the auth server" step can name it: kill "$(cat …/auth.pid)".
await writeFile(join(example.dataDir, "auth.pid"), `${process.pid}\n`);
process.send?.("ready");

/**
 * What `sigil clients create` would register, in code:
 * - the bank: first party (the operator's own app), so its users are never asked for consent;
 * - the retirement system: third party (run by a pension fund), so each user is asked once;
 * - the APIs' subscription to the revocation feed (`--allow revocation-feed`).
 * The web apps are confidential clients: they authenticate at the token endpoint with a secret.
 */
function specs(): Record<keyof ExampleClients, CreateClientInput> {
  const webApp = (url: string): Pick<CreateClientInput, "grantTypes" | "redirectUris" | "postLogoutRedirectUris"> => ({
    grantTypes: ["authorization_code", "refresh_token"],
    redirectUris: [`${url}/callback`],
    postLogoutRedirectUris: [`${url}/signed-out`],
  });
  return {
    banking: { name: "Bank", firstParty: true, ...webApp(example.bankingUrl) },
    retirement: { name: "Retirement Plans", firstParty: false, ...webApp(example.retirementUrl) },
    feed: {
      name: "sso example APIs (revocation feed)",
      grantTypes: ["client_credentials"],
      permissions: ["revocation-feed"],
    },
  };
}

/**
 * A secret is shown only once, so the credentials are kept in the data directory (mode 0600). On
 * a restart a stored client the server still accepts is reused, its redirect URIs set to the
 * current ports; any other is registered anew.
 */
async function ensureClients(db: Database): Promise<void> {
  const stored = await readStoredClients();
  const clients: Partial<ExampleClients> = {};
  for (const name of CLIENT_NAMES) {
    const spec = specs()[name];
    const known = stored[name];
    if (known !== undefined && (await accepted(db, known))) {
      if (spec.redirectUris !== undefined) {
        await setClientRedirectUris(db, known.clientId, {
          redirectUris: spec.redirectUris,
          postLogoutRedirectUris: spec.postLogoutRedirectUris ?? [],
        });
      }
      clients[name] = known;
      continue;
    }
    const { client, secret } = await createClient(db, spec);
    if (secret === null) throw new Error("a confidential client was registered without a secret");
    clients[name] = { clientId: client.id, clientSecret: secret };
    console.log(`registered client ${client.id} (${spec.name})`);
  }
  await writeFile(example.clientsFile, `${JSON.stringify(clients, null, 2)}\n`, { mode: 0o600 });
  console.log(`client credentials in ${example.clientsFile}`);
}

async function accepted(db: Database, { clientId, clientSecret }: ClientCredentials): Promise<boolean> {
  const authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
  return authenticateClient(db, { authorization, body: {} }).then(
    (result) => result.kind === "authenticated",
    () => false,
  );
}

async function readStoredClients(): Promise<Partial<ExampleClients>> {
  try {
    return JSON.parse(await readFile(example.clientsFile, "utf8")) as Partial<ExampleClients>;
  } catch {
    return {};
  }
}
