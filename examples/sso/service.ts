// What the two apps' APIs share: the example's settings, the clients' credentials, and a
// verifier that checks Sigil access tokens locally. No API request ever waits on the auth
// server: the keys come from its JWKS and logouts from its revocation feed, both fetched in the
// background.
import { type AccessTokenVerifier, consoleLogger, createAccessTokenVerifier } from "@sigil/verifier";
import { type ExampleClients, type ExampleConfig, readExampleClients, readExampleConfig } from "./config.js";

export interface ServiceSetup {
  config: ExampleConfig;
  clients: ExampleClients;
  verifier: AccessTokenVerifier;
}

/** Reads the settings and the credentials, and resolves once the verifier is ready. */
export async function setUpService(): Promise<ServiceSetup> {
  const config = readExampleConfig();
  const clients = await readExampleClients(config);
  const verifier = createAccessTokenVerifier({
    issuer: config.issuer, // JWKS and feed URLs are discovered from its metadata
    audience: config.audience,
    algorithms: ["EdDSA"],
    revocation: {
      ...clients.feed,
      // No feed event (heartbeats included) for this long (30 s by default): refuse every token
      // until the feed is back, rather than accept tokens that may have been revoked meanwhile.
      staleAfterMs: config.staleAfterMs,
      onStale: "fail-closed",
    },
    logger: consoleLogger,
  });
  await verifier.ready(); // keys loaded and the first revocation snapshot applied
  return { config, clients, verifier };
}
