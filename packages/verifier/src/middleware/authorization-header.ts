import type { IncomingMessage } from "node:http";

/**
 * The Authorization header of a Node request, for `extractBearer()`: its one value, or every
 * value when the request carried several — which RFC 6750 §3.1 answers with invalid_request
 * rather than guessing which credentials count. `headers.authorization` alone cannot tell:
 * Node keeps the first Authorization header and drops the others. `headersDistinct` can, but it
 * builds a second map of every header on each request, so only the raw name list is scanned
 * here, and `headersDistinct` is read only when there is a duplicate to report.
 */
export function authorizationOf(req: IncomingMessage): string | readonly string[] | undefined {
  const value = req.headers.authorization;
  if (value === undefined) return undefined;
  const raw = req.rawHeaders;
  let seen = 0;
  // rawHeaders alternates name, value; names keep the case the client sent.
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 13 && (name.charCodeAt(0) | 0x20) === 0x61 && name.toLowerCase() === "authorization") {
      if (++seen > 1) return req.headersDistinct["authorization"];
    }
  }
  return value;
}
