/**
 * What never reaches a log line. Paths are pino (fast-redact) paths; `*` matches one level, so
 * each field is listed at the top level and one and two levels down (`body.password`,
 * `req.body.password`), which covers every object the server logs.
 */
export const SECRET_FIELDS: readonly string[] = [
  "password",
  "current_password",
  "new_password",
  "refresh_token",
  "access_token",
  "id_token",
  "token",
  "client_secret",
  "secret",
  "password_hash",
  "passwordHash",
  "refreshToken",
  "accessToken",
  "clientSecret",
];

const SECRET_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie"];

function headerPaths(): string[] {
  const paths: string[] = [];
  for (const header of SECRET_HEADERS) {
    for (const prefix of ["headers", "req.headers", "request.headers", "res.headers", "reply.headers", "*.headers"]) {
      paths.push(`${prefix}["${header}"]`);
    }
  }
  return paths;
}

function fieldPaths(): string[] {
  const paths: string[] = [];
  for (const field of SECRET_FIELDS) paths.push(field, `*.${field}`, `*.*.${field}`);
  return paths;
}

export const REDACT_PATHS: readonly string[] = [...headerPaths(), ...fieldPaths()];

/** Query parameters whose value is a credential (RFC 6750 §2.3 allows `access_token` in a URI). */
const SECRET_QUERY_PARAMS = new Set([
  ...SECRET_FIELDS.map((field) => field.toLowerCase()),
  "code",
  "code_verifier",
  "assertion",
  "jwt",
  "key",
  "api_key",
  "apikey",
  "sig",
  "signature",
]);

/** A JWT or a long random-looking value: redacted whatever its parameter is called. */
const LOOKS_SECRET = /^eyJ|^[A-Za-z0-9_\-.~+/=]{32,}$/;

/**
 * A URL for the log: the path as is, each query value that is or may be a credential replaced
 * by `[Redacted]` (by its name, or because it looks like a token). Never throws.
 */
export function redactUrl(url: string): string {
  const question = url.indexOf("?");
  if (question === -1) return url;
  const path = url.slice(0, question);
  const query = url.slice(question + 1);
  const parts = query.split("&").map((pair) => {
    const equals = pair.indexOf("=");
    if (equals === -1) return pair;
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    let decodedName = name;
    let decodedValue = value;
    try {
      decodedName = decodeURIComponent(name.replace(/\+/g, " "));
      decodedValue = decodeURIComponent(value.replace(/\+/g, " "));
    } catch {
      return `${name}=[Redacted]`;
    }
    return SECRET_QUERY_PARAMS.has(decodedName.toLowerCase()) || LOOKS_SECRET.test(decodedValue)
      ? `${name}=[Redacted]`
      : pair;
  });
  return `${path}?${parts.join("&")}`;
}
