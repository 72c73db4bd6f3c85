// The retirement service: an Express app that verifies the same Sigil access tokens as the
// banking service, locally, with @sigil/verifier. A user logged in once is logged in here too.
import { once } from "node:events";
import { consoleLogger, sigilExpress } from "@sigil/verifier";
import express from "express";
import { fakeAmount } from "./fake-data.js";
import { setUpService } from "./service.js";

const { config, verifier } = await setUpService(); // keys loaded, first revocation snapshot applied

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
