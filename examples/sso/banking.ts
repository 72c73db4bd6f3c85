// The banking service: a Fastify app that verifies Sigil access tokens locally with
// @sigil/verifier. No request ever waits on the auth server: the keys come from its JWKS and
// logouts from its revocation feed, both fetched in the background.
import { consoleLogger, sigilFastify } from "@sigil/verifier";
import Fastify from "fastify";
import { fakeAmount } from "./fake-data.js";
import { setUpService } from "./service.js";

const { config, verifier } = await setUpService(); // keys loaded, first revocation snapshot applied

const app = Fastify();
// Every rejection is logged with its code (TOKEN_REVOKED, JWT_EXPIRED, ...), never the token.
const requireLogin = sigilFastify(verifier, { realm: "banking", logger: consoleLogger });

app.get("/accounts", { onRequest: requireLogin }, async (request) => {
  const sub = request.auth?.sub ?? "";
  return { service: "banking", sub, accounts: [{ id: "checking", balance: fakeAmount(sub, "checking") }] };
});

app.addHook("onClose", async () => verifier.close());
await app.listen({ host: "127.0.0.1", port: config.bankingPort });
console.log(`banking listening on http://127.0.0.1:${config.bankingPort} (GET /accounts)`);
process.send?.("ready");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
