// The retirement system: one Express process, two faces. `/api/plan` is its API, protected by
// @sigil/verifier (sigilExpress). `/`, `/sign-in`, `/callback`, `/sign-out`, `/signed-out` are
// its web app: a confidential OpenID Connect client of its own (another client id and secret
// than the bank's), whose pages call that API with the server-side session's access token.
import { once } from "node:events";
import { consoleLogger, sigilExpress } from "@sigil/verifier";
import express, { type Request, type Response } from "express";
import { fakeAmount } from "./fake-data.js";
import { escapeHtml } from "./pages.js";
import { setUpService } from "./service.js";
import { createWebApp, type WebApp, type WebRequest } from "./web-app.js";

const { config, clients, verifier } = await setUpService(); // keys loaded, first revocation snapshot applied
const web = await createWebApp({
  name: "retirement",
  title: "Retirement Plans",
  url: config.retirementUrl,
  apiUrl: `${config.retirementUrl}/api/plan`,
  describe: (body) => {
    const plan = (body["plan"] ?? {}) as { retireAt?: number; saved?: number };
    return `<p>Your plan (member <code id="sub">${escapeHtml(String(body["sub"]))}</code>): retire at ${Number(plan.retireAt)}, saved <span class="balance">${Number(plan.saved).toFixed(2)}</span>.</p>`;
  },
  other: { title: "Bank", url: config.bankingUrl },
  credentials: clients.retirement,
  config,
});

const app = express();
app.disable("x-powered-by");
// Every rejection is logged with its code (TOKEN_REVOKED, JWT_EXPIRED, ...), never the token.
const requireLogin = sigilExpress(verifier, { realm: "retirement", logger: consoleLogger });

app.get("/api/plan", requireLogin, (req, res) => {
  const sub = req.auth?.sub ?? "";
  res.json({ service: "retirement", sub, plan: { retireAt: 67, saved: fakeAmount(sub, "retirement") } });
});

const route =
  (handler: (request: WebRequest) => ReturnType<WebApp["home"]>) =>
  (req: Request, res: Response, next: (error: unknown) => void): void => {
    handler({ cookie: req.headers.cookie, url: req.originalUrl, origin: req.headers.origin }).then((answer) => {
      for (const cookie of answer.cookies) res.append("set-cookie", cookie);
      res.status(answer.status).set(answer.headers).send(answer.body);
    }, next);
  };
app.get("/", route(web.home));
app.get("/sign-in", route(web.signIn));
app.get("/callback", route(web.callback));
app.post("/sign-out", route(web.signOut));
app.get("/signed-out", route(web.signedOut));

const server = app.listen(config.retirementPort, "127.0.0.1");
await once(server, "listening");
console.log(`retirement listening on ${config.retirementUrl} (web app /, API GET /api/plan)`);
process.send?.("ready");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    verifier.close();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
