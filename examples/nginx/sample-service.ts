// The protected service of the nginx example: it trusts the X-Auth-* headers nginx sets from
// Sigil's answer (and must only be reachable through nginx), logs who called, and echoes what it
// received as JSON.
//
//   npx tsx examples/nginx/sample-service.ts            # listens on 127.0.0.1:8081 (PORT to change)
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/** What the service saw of one request. */
export interface SeenRequest {
  method: string;
  path: string;
  subject: string | null;
  scope: string | null;
  roles: string | null;
  session: string | null;
  client: string | null;
  /** Whether an Authorization header reached the service (the example's nginx removes it). */
  authorization: boolean;
  bodyBytes: number;
}

export interface SampleService {
  server: Server;
  /** host:port, for nginx's upstream. */
  address: string;
  close(): Promise<void>;
}

function header(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === "string" ? value : null;
}

/**
 * Starts the service on `host:port` (port 0: any free port).
 *
 * @example
 * const service = await startSampleService({ port: 0, log: () => {} });
 */
export async function startSampleService(
  options: { host?: string; port?: number; log?: (line: string) => void } = {},
): Promise<SampleService> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const server = createServer((request, response) => {
    let bodyBytes = 0;
    request.on("data", (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    request.on("end", () => {
      const seen: SeenRequest = {
        method: request.method ?? "",
        path: request.url ?? "",
        subject: header(request, "x-auth-subject"),
        scope: header(request, "x-auth-scope"),
        roles: header(request, "x-auth-roles"),
        session: header(request, "x-auth-session"),
        client: header(request, "x-auth-client"),
        authorization: request.headers.authorization !== undefined,
        bodyBytes,
      };
      log(`sample-service: ${seen.method} ${seen.path} subject=${seen.subject ?? "(none)"}`);
      response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      response.end(JSON.stringify(seen));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    server,
    address: `${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const service = await startSampleService({ port: Number(process.env.PORT ?? 8081) });
  process.stdout.write(`sample-service listening on http://${service.address}\n`);
}
