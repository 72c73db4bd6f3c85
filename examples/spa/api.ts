// The notes API: a plain node:http service on an origin of its own that accepts Sigil access
// tokens, checked locally by @sigil/verifier (keys from the JWKS, logouts from the revocation
// feed). CORS for the app's origin: the Authorization header in, WWW-Authenticate out (so the
// client can tell an invalid_token 401 and refresh once).
import { createServer } from "node:http";
import { authenticate, createAccessTokenVerifier } from "@sigil/verifier";

export interface NotesApiOptions {
  port: number;
  issuer: string;
  audience: string;
  appOrigin: string;
  feedClient: { clientId: string; clientSecret: string };
}

export async function startNotesApi(options: NotesApiOptions): Promise<{ close(): Promise<void> }> {
  const verifier = createAccessTokenVerifier({
    issuer: options.issuer,
    audience: options.audience,
    algorithms: ["EdDSA"],
    revocation: options.feedClient,
  });
  await verifier.ready();
  const requireUser = authenticate(verifier, { realm: "notes" });
  const cors = { "access-control-allow-origin": options.appOrigin, vary: "origin" };
  const server = createServer(async (req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        ...cors,
        "access-control-allow-methods": "GET",
        "access-control-allow-headers": "authorization",
        "access-control-max-age": "600",
      });
      return res.end();
    }
    res.setHeader("access-control-allow-origin", options.appOrigin);
    res.setHeader("access-control-expose-headers", "www-authenticate");
    res.setHeader("vary", "origin");
    const claims = await requireUser(req, res); // answers 401 itself
    if (claims === undefined) return;
    if (req.method !== "GET" || req.url !== "/notes") return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ sub: claims.sub, notes: ["Buy milk", "Rotate the signing keys", "Call Ada"] }));
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        verifier.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
