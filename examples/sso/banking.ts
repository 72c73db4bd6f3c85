// The bank: one Fastify process, two faces. `/api/accounts` is its API, protected by
// @sigil/verifier (sigilFastify): any caller with a Sigil access token for the bank's audience.
// `/`, `/sign-in`, `/callback`, `/sign-out`, `/signed-out` are its web app: a confidential
// OpenID Connect client whose pages call that API with the access token of the browser's
// server-side session (web-app.ts).
import { consoleLogger, sigilFastify } from "@sigil/verifier";
import Fastify, { type FastifyReply } from "fastify";
import { fakeAmount } from "./fake-data.js";
import { escapeHtml } from "./pages.js";
import { setUpService } from "./service.js";
import { createWebApp, type WebReply } from "./web-app.js";

const { config, clients, verifier } = await setUpService(); // keys loaded, first revocation snapshot applied
const web = await createWebApp({
  name: "banking",
  title: "Bank",
  url: config.bankingUrl,
  apiUrl: `${config.bankingUrl}/api/accounts`,
  describe: (body) => {
    const accounts = (body["accounts"] ?? []) as { id: string; balance: number }[];
    const rows = accounts.map(
      (a) => `<li>${escapeHtml(a.id)}: <span class="balance">${a.balance.toFixed(2)}</span></li>`,
    );
    return `<p>Your accounts (customer <code id="sub">${escapeHtml(String(body["sub"]))}</code>):</p>\n<ul>${rows.join("")}</ul>`;
  },
  other: { title: "Retirement Plans", url: config.retirementUrl },
  credentials: clients.banking,
  config,
});

const app = Fastify();
// Every rejection is logged with its code (TOKEN_REVOKED, JWT_EXPIRED, ...), never the token.
const requireLogin = sigilFastify(verifier, { realm: "banking", logger: consoleLogger });

app.get("/api/accounts", { onRequest: requireLogin }, async (request) => {
  const sub = request.auth?.sub ?? "";
  return { service: "banking", sub, accounts: [{ id: "checking", balance: fakeAmount(sub, "checking") }] };
});

// The sign-out form's body carries nothing the app reads.
app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, _body, done) =>
  done(null, {}),
);
const send = (reply: FastifyReply, answer: WebReply): FastifyReply => {
  for (const cookie of answer.cookies) reply.header("set-cookie", cookie);
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
};
const webRequest = (request: { headers: Record<string, string | string[] | undefined>; url: string }) => ({
  cookie: request.headers["cookie"] as string | undefined,
  url: request.url,
  origin: request.headers["origin"] as string | undefined,
});
app.get("/", async (request, reply) => send(reply, await web.home(webRequest(request))));
app.get("/sign-in", async (request, reply) => send(reply, await web.signIn(webRequest(request))));
app.get("/callback", async (request, reply) => send(reply, await web.callback(webRequest(request))));
app.post("/sign-out", async (request, reply) => send(reply, await web.signOut(webRequest(request))));
app.get("/signed-out", async (request, reply) => send(reply, await web.signedOut(webRequest(request))));

app.addHook("onClose", async () => verifier.close());
await app.listen({ host: "127.0.0.1", port: config.bankingPort });
console.log(`banking listening on ${config.bankingUrl} (web app /, API GET /api/accounts)`);
process.send?.("ready");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
