// A tiny loopback web server for browser tests: serves given files with chosen headers, on an
// origin (port) of its own, and can pass some paths through to another server. Start one per
// origin a test needs: an app on origin A, the auth server on B, an API on C.
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One file: its body, content type and any other headers (a Content-Security-Policy, say). */
export interface StaticFile {
  body: string | Uint8Array;
  /** The Content-Type, e.g. `text/html; charset=utf-8`. */
  type: string;
  headers?: Record<string, string>;
  /** Default 200. */
  status?: number;
}

export interface StaticServerOptions {
  /** Files by path (`/`, `/app.js`); other paths answer 404. */
  files: Record<string, StaticFile>;
  /**
   * Paths passed through to `to` (an origin such as `http://127.0.0.1:4000`): a request whose
   * path starts with one of `prefixes` goes there as it came, and its answer comes back as it is.
   */
  proxy?: {
    to: string;
    prefixes: readonly string[];
    /**
     * The clock of the answers' `Date` header, in ms: a server whose clock the test moves (its
     * `now` option) then says so in its answers too, as a real server's clock would.
     */
    date?: () => number;
  };
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>`: the origin of the files. */
  readonly url: string;
  /** Stops listening and drops the browser's kept-alive connections. Idempotent. */
  close(): Promise<void>;
}

/** Sent with every file unless the file says otherwise: nothing cached between tests, no sniffing. */
const DEFAULT_HEADERS: Record<string, string> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

/** The usual types, for {@link file}. */
const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  png: "image/png",
  svg: "image/svg+xml",
};

/**
 * A {@link StaticFile} typed by the extension of `name`.
 *
 * @example
 * file("index.html", "<!doctype html>…", { "content-security-policy": "default-src 'self'" })
 */
export function file(name: string, body: string | Uint8Array, headers?: Record<string, string>): StaticFile {
  const type = TYPES[name.slice(name.lastIndexOf(".") + 1)];
  if (type === undefined) throw new Error(`file: no content type known for ${name}`);
  return { body, type, ...(headers ? { headers } : {}) };
}

function pass(req: IncomingMessage, res: ServerResponse, to: URL, date?: () => number): void {
  // No agent: one upstream connection per request, closed after it, so nothing outlives close().
  const upstream = request(
    new URL(req.url ?? "/", to),
    { method: req.method, headers: { ...req.headers, host: to.host }, agent: false },
    (answer) => {
      const headers = date ? { ...answer.headers, date: new Date(date()).toUTCString() } : answer.headers;
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  });
  req.pipe(upstream);
}

/**
 * Serves `files` on a free loopback port. The browser asks for /favicon.ico by itself: unless
 * `files` has one, it gets an empty 204 (a 404 would be a console error in every test).
 *
 * @example
 * const app = await startStaticServer({
 *   files: { "/": file("index.html", html), "/app.js": file("app.js", script) },
 *   proxy: { to: server.url, prefixes: ["/auth/", "/userinfo"] },
 * });
 * await page.goto(app.url);
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const proxy = options.proxy && {
    to: new URL(options.proxy.to),
    prefixes: options.proxy.prefixes,
    date: options.proxy.date,
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (proxy?.prefixes.some((prefix) => path.startsWith(prefix))) return pass(req, res, proxy.to, proxy.date);
    const found = options.files[path];
    if (found === undefined) {
      res.writeHead(path === "/favicon.ico" ? 204 : 404, DEFAULT_HEADERS).end();
      return;
    }
    res.writeHead(found.status ?? 200, { ...DEFAULT_HEADERS, "content-type": found.type, ...found.headers });
    res.end(req.method === "HEAD" ? undefined : found.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
