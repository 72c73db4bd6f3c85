// Settings shared by the three processes of the example, read from the environment so the
// launcher and the test can move everything to other ports or another data directory.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface ExampleConfig {
  authPort: number;
  bankingPort: number;
  retirementPort: number;
  /** The auth server's issuer URL: every token's `iss`, and where the services discover its JWKS and feed. */
  issuer: string;
  /** The `aud` of user tokens: one audience for both services, so one login serves both (single sign-on). */
  audience: string;
  /** Where the auth server keeps its database and the feed client's credentials. */
  dataDir: string;
  /** The file auth.ts writes the feed client's credentials to (mode 0600), and the services read. */
  credentialsFile: string;
  /** The services refuse every token once the revocation feed has been silent this long (default 30 s). */
  staleAfterMs: number;
}

/** The credentials a service uses to subscribe to the revocation feed. */
export interface FeedClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Reads SSO_AUTH_PORT, SSO_BANKING_PORT, SSO_RETIREMENT_PORT (defaults 4000, 4001, 4002),
 * SSO_DATA_DIR (default examples/sso/.data) and SSO_STALE_AFTER_MS (default 30000; the test
 * shortens it to watch the services fail closed).
 */
export function readExampleConfig(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const authPort = readPort(env, "SSO_AUTH_PORT", 4000);
  const dataDir = env["SSO_DATA_DIR"] ?? join(import.meta.dirname, ".data");
  return {
    authPort,
    bankingPort: readPort(env, "SSO_BANKING_PORT", 4001),
    retirementPort: readPort(env, "SSO_RETIREMENT_PORT", 4002),
    // Loopback only: plain http is acceptable here and nowhere else (the verifier refuses it elsewhere).
    issuer: `http://127.0.0.1:${authPort}`,
    audience: "urn:example:bank",
    dataDir,
    credentialsFile: join(dataDir, "feed-client.json"),
    staleAfterMs: Number(env["SSO_STALE_AFTER_MS"] ?? 30_000),
  };
}

/** The feed client's credentials, as auth.ts wrote them. */
export async function readFeedClient(config: ExampleConfig): Promise<FeedClientCredentials> {
  let text: string;
  try {
    text = await readFile(config.credentialsFile, "utf8");
  } catch {
    throw new Error(`${config.credentialsFile} not found: start the auth server first (npm run example:sso does)`);
  }
  const { clientId, clientSecret } = JSON.parse(text) as Partial<FeedClientCredentials>;
  if (typeof clientId !== "string" || typeof clientSecret !== "string") {
    throw new Error(`${config.credentialsFile} is malformed: delete it and restart the auth server`);
  }
  return { clientId, clientSecret };
}

function readPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${name} must be a port number (got ${raw})`);
  return port;
}
