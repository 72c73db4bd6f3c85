// A resource API on an origin of its own, protected by @sigil/verifier: GET /me answers the
// token's subject, or 401 with RFC 6750's challenge. CORS for one web origin (the test's app),
// exposing WWW-Authenticate so that @sigil/client can tell an invalid_token 401. The revocation
// feed it reads is watched, so a test can wait for a revocation to reach it (an event, not a time).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { authenticate, createAccessTokenVerifier, silentLogger } from "@sigil/verifier";

export interface VerifiedApiOptions {
  issuer: string;
  audience: string;
  /** The one origin whose pages may call the API. */
  webOrigin: string;
  /** A client of the auth server with the revocation-feed permission. */
  feedClient: { clientId: string; clientSecret: string };
  /** The verifier's clock (default Date.now): the auth server's, when a test moves it. */
  now?: () => number;
}

export interface VerifiedApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Resolves once the revocation feed has delivered text containing `needle` (a session id, say). */
  feedDelivered(needle: string): Promise<void>;
  close(): Promise<void>;
}

export async function startVerifiedApi(options: VerifiedApiOptions): Promise<VerifiedApi> {
  let feedText = "";
  const feedWaiters: { needle: string; resolve: () => void }[] = [];
  const heard = (chunk: string): void => {
    feedText = (feedText + chunk).slice(-1_000_000);
    for (const waiter of [...feedWaiters]) {
      if (feedText.includes(waiter.needle)) {
        feedWaiters.splice(feedWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  // The verifier's own fetch, with the feed's event stream copied to `heard` as it arrives.
  const watchingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input instanceof Request ? input.url : input).includes("/revocations/feed") || !response.body) {
      return response;
    }
    const [forVerifier, forTest] = response.body.tee();
    void (async () => {
      const decoder = new TextDecoder();
      const reader = forTest.getReader();
      try {
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          heard(decoder.decode(read.value, { stream: true }));
        }
      } catch {}
    })();
    return new Response(forVerifier, { status: response.status, headers: response.headers });
  };
  const verifier = createAccessTokenVerifier({
    issuer: options.issuer,
    audience: options.audience,
    algorithms: ["EdDSA"],
    // A test that moves the clock by hours moves it past any feed heartbeat: the mirror counts as
    // fresh for a day of such jumps (the feed itself is live throughout).
    revocation: { ...options.feedClient, ...(options.now ? { staleAfterMs: 86_400_000 } : {}) },
    fetch: watchingFetch,
    logger: silentLogger,
    ...(options.now ? { now: options.now } : {}),
  });
  await verifier.ready();
  const auth = authenticate(verifier, { realm: "test-api" });
  const cors = {
    "access-control-allow-origin": options.webOrigin,
    "access-control-expose-headers": "www-authenticate",
    vary: "origin",
  };
  const server = createServer(async (req, res) => {
    if (req.method === "OPTIONS") {
      res
        .writeHead(204, {
          ...cors,
          "access-control-allow-methods": "GET",
          "access-control-allow-headers": "authorization",
        })
        .end();
      return;
    }
    for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
    const claims = await auth(req, res);
    if (claims === undefined) return;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sub: claims.sub }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    feedDelivered: (needle) =>
      new Promise((resolve) => {
        feedWaiters.push({ needle, resolve });
        heard("");
      }),
    async close() {
      verifier.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
