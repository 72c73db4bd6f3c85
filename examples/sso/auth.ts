// The Sigil auth server of the example: users register, log in and log out here; the two
// services only ever talk to it in the background (JWKS and the revocation feed).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { authenticateClient, createClient, type Database, loadConfig, startServer } from "@sigil/server";
import { type FeedClientCredentials, readExampleConfig } from "./config.js";

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
await ensureFeedClient(server.db);
// So that the README's "stop only the auth server" step can name it: kill "$(cat …/auth.pid)".
await writeFile(join(example.dataDir, "auth.pid"), `${process.pid}\n`);
process.send?.("ready");

/**
 * The services subscribe to the revocation feed as a registered confidential client. Its secret
 * is shown only once, so it is kept in the data directory; on a restart the stored credentials
 * are reused if the server still accepts them, and a new client is registered otherwise.
 */
async function ensureFeedClient(db: Database): Promise<void> {
  const stored = await readStoredCredentials();
  if (stored !== undefined) {
    const authorization = `Basic ${Buffer.from(`${stored.clientId}:${stored.clientSecret}`).toString("base64")}`;
    const accepted = await authenticateClient(db, { authorization, body: {} }).then(
      (result) => result.kind === "authenticated",
      () => false,
    );
    if (accepted) return;
  }
  const { client, secret } = await createClient(db, {
    name: "sso example services (revocation feed)",
    grantTypes: ["client_credentials"],
    permissions: ["revocation-feed"],
  });
  if (secret === null) throw new Error("a confidential client was registered without a secret");
  const credentials: FeedClientCredentials = { clientId: client.id, clientSecret: secret };
  await writeFile(example.credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  console.log(`registered feed client ${client.id}; credentials in ${example.credentialsFile}`);
}

async function readStoredCredentials(): Promise<FeedClientCredentials | undefined> {
  try {
    return JSON.parse(await readFile(example.credentialsFile, "utf8")) as FeedClientCredentials;
  } catch {
    return undefined;
  }
}
