// The retirement service: an Express app that verifies the same Sigil access tokens as the
// banking service, locally, with @sigil/verifier. A user logged in once is logged in here too.
import { once } from "node:events";
import { consoleLogger, createVerifier, sigilExpress } from "@sigil/verifier";
import express from "express";
import { readExampleConfig, readFeedClient } from "./config.js";
import { fakeAmount } from "./fake-data.js";

const config = readExampleConfig();
const feedClient = await readFeedClient(config);

const verifier = createVerifier({
  issuer: config.issuer, // JWKS and feed URLs are discovered from its metadata
  audience: config.audience,
  algorithms: ["EdDSA"],
  revocation: {
    ...feedClient,
    // No feed event (heartbeats included) for this long (30 s by default): refuse every token
    // until the feed is back, rather than accept tokens that may have been revoked meanwhile.
    staleAfterMs: config.staleAfterMs,
    onStale: "fail-closed",
  },
  logger: consoleLogger,
});
await verifier.ready(); // keys loaded and the first revocation snapshot applied

const app = express();
app.disable("x-powered-by");
// Every rejection is logged with its code (TOKEN_REVOKED, JWT_EXPIRED, ...), never the token.
const requireLogin = sigilExpress(verifier, { realm: "retirement", logger: consoleLogger });

app.get("/plan", requireLogin, (req, res) => {
  const sub = req.auth?.sub ?? "";
  res.json({ service: "retirement", sub, plan: { retireAt: 67, saved: fakeAmount(sub, "retirement") } });
});

const server = app.listen(config.retirementPort, "127.0.0.1");
await once(server, "listening");
console.log(`retirement listening on http://127.0.0.1:${config.retirementPort} (GET /plan)`);
process.send?.("ready");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    verifier.close();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
