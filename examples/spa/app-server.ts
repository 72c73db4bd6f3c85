// Serves the single-page app: index.html, with the auth server's and the API's URLs in <meta>
// tags, and app/main.ts bundled by esbuild with @sigil/client into one module, under a strict
// Content-Security-Policy (scripts from this origin only; requests to the auth server and the API).
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { build } from "esbuild";

export interface AppServerOptions {
  port: number;
  issuer: string;
  api: string;
}

export async function startAppServer(options: AppServerOptions): Promise<{ close(): Promise<void> }> {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, "app", "main.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    // In this repository @sigil/client resolves to its TypeScript source; installed, to dist/.
    conditions: ["sigil-source"],
    write: false,
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  const meta = `<meta name="sigil-issuer" content="${options.issuer}">\n    <meta name="notes-api" content="${options.api}">`;
  const html = (await readFile(join(import.meta.dirname, "app", "index.html"), "utf8")).replace(
    '<meta charset="utf-8">',
    `<meta charset="utf-8">\n    ${meta}`,
  );
  const csp = `default-src 'none'; script-src 'self'; connect-src ${options.issuer} ${options.api}; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/app.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
      return res.end(script);
    }
    if (path === "/") {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-security-policy": csp,
        "cache-control": "no-store",
      });
      return res.end(html);
    }
    res.writeHead(path === "/favicon.ico" ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
