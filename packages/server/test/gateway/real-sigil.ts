// A real `sigil serve` (startServer: every route module, the key schedule, the revocation feed)
// on a free loopback port whose issuer is its own URL, so discovery's jwks_uri points back at it.
// Shared by the gateway example (examples/nginx) and the verifier's interop and rotation tests.
import { loadConfig, type RunningServer, type ServerConfig, startServer } from "../../src/index.js";
import { freePort } from "../support/free-port.js";

export { freePort };

export interface RealSigil extends RunningServer {
  config: ServerConfig;
  /** The issuer identifier, equal to `url`. */
  issuer: string;
  /** The audience of user access tokens. */
  audience: string;
}

export interface RealSigilOptions {
  /** More SIGIL_* settings, e.g. { SIGIL_SIGNING_ALG: "ES256" }. */
  env?: Record<string, string>;
}

export const REAL_SIGIL_AUDIENCE = "https://api.example.test";

/**
 * Starts the auth server as `sigil serve` would, on PGlite in memory.
 *
 * @example
 * const sigil = await startRealSigil({ env: { SIGIL_SIGNING_ALG: "ES256" } });
 * try { await fetch(`${sigil.url}/.well-known/jwks.json`); } finally { await sigil.close(); }
 */
export async function startRealSigil(options: RealSigilOptions = {}): Promise<RealSigil> {
  // The port is chosen before listening because the issuer (and so every URL in the metadata)
  // must name it; another process taking it in between makes the start fail loudly, not wrongly.
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    SIGIL_ENV: "development",
    SIGIL_HOST: "127.0.0.1",
    SIGIL_PORT: String(port),
    SIGIL_ISSUER: issuer,
    SIGIL_AUDIENCE: REAL_SIGIL_AUDIENCE,
    SIGIL_DATA_DIR: "memory",
    ...options.env,
  });
  const server = await startServer(config, { print: () => {}, handleSignals: false, logger: false });
  return { ...server, config, issuer, audience: config.audience };
}
