// `npm run example:spa`: the auth server (embedded PGlite), the notes API (protected by
// @sigil/verifier) and the single-page app, each on an origin of its own, in one process; prints
// the app's URL. Ctrl-C stops all three.
//
// The app (127.0.0.1:4102) and the auth server (127.0.0.1:4100) are on one site, so the browser
// sends the SameSite=Strict refresh cookie; they are different origins, so the auth server
// answers CORS for the app's origin (SIGIL_WEB_ORIGINS). The API (127.0.0.1:4101) answers CORS
// for the app's origin too, and checks tokens locally.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createClient, loadConfig, startServer } from "@sigil/server";
import { startNotesApi } from "./api.js";
import { startAppServer } from "./app-server.js";

const port = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const authPort = port("SPA_AUTH_PORT", 4100);
const apiPort = port("SPA_API_PORT", 4101);
const appPort = port("SPA_APP_PORT", 4102);
const dataDir = process.env["SPA_DATA_DIR"] ?? join(import.meta.dirname, ".data");
// Loopback only: plain http is acceptable here and nowhere else.
const issuer = `http://127.0.0.1:${authPort}`;
const appOrigin = `http://127.0.0.1:${appPort}`;
const apiOrigin = `http://127.0.0.1:${apiPort}`;

await mkdir(dataDir, { recursive: true, mode: 0o700 });
const auth = await startServer(
  loadConfig({
    ...process.env,
    SIGIL_HOST: "127.0.0.1",
    SIGIL_PORT: String(authPort),
    SIGIL_ISSUER: issuer,
    SIGIL_DATA_DIR: join(dataDir, "db"),
    // The app's origin may use cookie mode, and gets CORS with credentials.
    SIGIL_WEB_ORIGINS: appOrigin,
    SIGIL_LOG_LEVEL: process.env["SIGIL_LOG_LEVEL"] ?? "warn",
  }),
  { print: () => {} },
);
// The API hears of logouts through the revocation feed, as a registered client.
const { client, secret } = await createClient(auth.db, {
  name: "spa example notes API (revocation feed)",
  grantTypes: ["client_credentials"],
  permissions: ["revocation-feed"],
});
const api = await startNotesApi({
  port: apiPort,
  issuer,
  audience: auth.context.config.audience,
  appOrigin,
  feedClient: { clientId: client.id, clientSecret: secret ?? "" },
});
const app = await startAppServer({ port: appPort, issuer, api: apiOrigin });

console.log(`auth server ${issuer} (create an account: ${issuer}/sign-up), notes API ${apiOrigin}`);
console.log(`ready: open ${appOrigin} (Ctrl-C stops all three)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await Promise.all([app.close(), api.close()]);
    await auth.close();
    process.exit(0);
  });
}
