// Settings shared by the three processes of the example, read from the environment so the
// launcher and the test can move everything to other ports or another data directory.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface ExampleConfig {
  authPort: number;
  bankingPort: number;
  retirementPort: number;
  /** The auth server's issuer URL: every token's `iss`, where the apps discover its endpoints and the APIs its JWKS and feed. */
  issuer: string;
  /** The bank's web app and its API (`/api/accounts`). */
  bankingUrl: string;
  /** The retirement system's web app and its API (`/api/plan`). */
  retirementUrl: string;
  /** The `aud` of user access tokens: both APIs accept it, whichever app the token was issued to. */
  audience: string;
  /** Where the auth server keeps its database, the clients' credentials and the apps their sessions. */
  dataDir: string;
  /** The file auth.ts writes the registered clients' credentials to (mode 0600), and the apps read. */
  clientsFile: string;
  /** The APIs refuse every token once the revocation feed has been silent this long (default 30 s). */
  staleAfterMs: number;
}

/** A registered client's id and secret. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** The three clients auth.ts registers: the two web apps, and the APIs' revocation-feed subscription. */
export interface ExampleClients {
  banking: ClientCredentials;
  retirement: ClientCredentials;
  feed: ClientCredentials;
}

export const CLIENT_NAMES = ["banking", "retirement", "feed"] as const satisfies readonly (keyof ExampleClients)[];

/**
 * Reads SSO_AUTH_PORT, SSO_BANKING_PORT, SSO_RETIREMENT_PORT (defaults 4000, 4001, 4002),
 * SSO_DATA_DIR (default examples/sso/.data) and SSO_STALE_AFTER_MS (default 30000).
 */
export function readExampleConfig(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const authPort = readPort(env, "SSO_AUTH_PORT", 4000);
  const bankingPort = readPort(env, "SSO_BANKING_PORT", 4001);
  const retirementPort = readPort(env, "SSO_RETIREMENT_PORT", 4002);
  const dataDir = env["SSO_DATA_DIR"] ?? join(import.meta.dirname, ".data");
  return {
    authPort,
    bankingPort,
    retirementPort,
    // Loopback only: plain http is acceptable here and nowhere else (the verifier and
    // openid-client refuse it elsewhere; the apps opt in with allowInsecureRequests).
    issuer: `http://127.0.0.1:${authPort}`,
    bankingUrl: `http://127.0.0.1:${bankingPort}`,
    retirementUrl: `http://127.0.0.1:${retirementPort}`,
    audience: "urn:example:bank",
    dataDir,
    clientsFile: join(dataDir, "clients.json"),
    staleAfterMs: Number(env["SSO_STALE_AFTER_MS"] ?? 30_000),
  };
}

/** The clients' credentials, as auth.ts wrote them. */
export async function readExampleClients(config: ExampleConfig): Promise<ExampleClients> {
  let text: string;
  try {
    text = await readFile(config.clientsFile, "utf8");
  } catch {
    throw new Error(`${config.clientsFile} not found: start the auth server first (npm run example:sso does)`);
  }
  const parsed = JSON.parse(text) as Partial<Record<keyof ExampleClients, Partial<ClientCredentials>>>;
  const clients: Partial<ExampleClients> = {};
  for (const name of CLIENT_NAMES) {
    const { clientId, clientSecret } = parsed[name] ?? {};
    if (typeof clientId !== "string" || typeof clientSecret !== "string") {
      throw new Error(`${config.clientsFile} lacks the ${name} client: delete it and restart the auth server`);
    }
    clients[name] = { clientId, clientSecret };
  }
  return clients as ExampleClients;
}

function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${name} must be a port number (got ${raw})`);
  return port;
}
