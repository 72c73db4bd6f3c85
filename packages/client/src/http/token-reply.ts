import { SigilClientError } from "../errors/sigil-client-error.js";

/** A token endpoint's answer, checked, with what is needed to place its expiry on the server's clock. */
export interface TokenReply {
  accessToken: string;
  /** Seconds (RFC 6749 §5.1 `expires_in`). */
  expiresIn: number;
  /** Body mode only; the cookie carries it in cookie mode. */
  refreshToken?: string;
  /** The answer's `Date` header (RFC 9110 §6.6.1): the server's clock, ms; undefined if unreadable. */
  serverDate?: number;
  /** The local clock when the answer arrived, ms. */
  receivedAt: number;
}

/** Reads a 200 token answer (RFC 6749 §5.1); a body that is not one is BAD_RESPONSE. */
export async function readTokenReply(response: Response, receivedAt: number): Promise<TokenReply> {
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  const accessToken = body?.access_token;
  const expiresIn = body?.expires_in;
  if (
    typeof accessToken !== "string" ||
    !accessToken ||
    !/^bearer$/i.test(String(body?.token_type)) ||
    typeof expiresIn !== "number" ||
    !(expiresIn > 0)
  ) {
    throw new SigilClientError("BAD_RESPONSE", { status: response.status });
  }
  const serverDate = Date.parse(response.headers.get("date") ?? "");
  const refreshToken = body?.refresh_token;
  return {
    accessToken,
    expiresIn,
    receivedAt,
    ...(Number.isNaN(serverDate) ? {} : { serverDate }),
    ...(typeof refreshToken === "string" && refreshToken ? { refreshToken } : {}),
  };
}
