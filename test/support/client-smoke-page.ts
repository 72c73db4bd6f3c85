// The client smoke page: a sign-in form using the bundled @sigil/client in body mode
// (client-smoke-page/), served under a strict Content Security Policy. Used by
// test/e2e/client-smoke.int.test.ts and by `npm run screenshots`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bundleClient } from "../../scripts/client-size.mjs";
import { file, type StaticServer, startStaticServer } from "./static-server.js";

const dir = join(import.meta.dirname, "client-smoke-page");

/**
 * No inline script or style, no eval, requests to the page's own origin only: the client must
 * work under the policy a careful app sets.
 */
export const SMOKE_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Serves the smoke page on a loopback origin of its own, passing /auth/* and /userinfo through
 * to `sigil`, so that the page and the endpoints it calls share the page's origin and no CORS is
 * involved: the client's issuer there is the page's origin, and the endpoints behind it are
 * Sigil's, unchanged. Close the returned server when done.
 */
export async function startClientSmokePage(sigil: { url: string }): Promise<StaticServer> {
  const read = (name: string): string => readFileSync(join(dir, name), "utf8");
  return startStaticServer({
    files: {
      "/": file("index.html", read("index.html"), { "content-security-policy": SMOKE_PAGE_CSP }),
      "/app.js": file("app.js", read("app.js")),
      "/style.css": file("style.css", read("style.css")),
      "/sigil-client.js": file("sigil-client.js", await bundleClient()),
    },
    proxy: { to: sigil.url, prefixes: ["/auth/", "/userinfo"] },
  });
}
