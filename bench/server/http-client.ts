// A minimal keep-alive HTTP client for the load loops that autocannon cannot express (a refresh
// chain must send the token the previous response returned) and for precise latency: each
// request is timed with performance.now(), where autocannon's histogram rounds to whole ms.

import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  /** From writing the request to the last byte of the response. */
  readonly ms: number;
}

export interface HttpRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly json?: unknown;
}

/** Bounds every request, so a stuck server cannot hang the benchmark. */
const REQUEST_TIMEOUT_MS = 15_000;

/** One client = one kept-alive connection: its requests go one after another on the same socket. */
export class HttpClient {
  readonly #base: URL;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(baseUrl: string) {
    this.#base = new URL(baseUrl);
  }

  send(input: HttpRequest): Promise<HttpResponse> {
    const payload = input.json === undefined ? undefined : JSON.stringify(input.json);
    const headers: Record<string, string> = { ...input.headers };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    return new Promise<HttpResponse>((resolve, reject) => {
      const started = performance.now();
      const req = request(
        {
          host: this.#base.hostname,
          port: this.#base.port,
          method: input.method,
          path: input.path,
          headers,
          agent: this.#agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${input.method} ${input.path} timed out`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
