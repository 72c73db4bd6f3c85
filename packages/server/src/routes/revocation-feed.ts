import type { FastifyPluginAsync } from "fastify";
import { requireAuthenticatedClient } from "../clients/authenticate-client.js";
import { isOAuthError } from "../clients/oauth-error.js";
import type { ServerContext } from "../server-context.js";
import { PATHS } from "./paths.js";

export interface RevocationFeedRoutesOptions {
  context: Pick<ServerContext, "db" | "revocations">;
}

/**
 * GET /revocations/feed — the revocation feed (Server-Sent Events, WHATWG HTML §9.2) for
 * verifiers. Only a registered confidential client may subscribe, with HTTP Basic
 * (client_secret_basic, RFC 6749 §2.3.1); anything else gets 401 `invalid_client` (§5.2) and a
 * Basic challenge (RFC 7617 §2).
 *
 * The response is written on the raw socket (reply.hijack): Fastify's serializer and onSend
 * hooks are made for one body, not a stream that lives for hours. On app.close() the preClose
 * hook ends every stream, so a graceful shutdown is never held open by a verifier.
 *
 * The feed's wire format is @sigil/protocol's (docs/revocation-feed.md); the revocations come
 * from the context's hub, which keeps them current from the database.
 */
export const revocationFeedRoutes: FastifyPluginAsync<RevocationFeedRoutesOptions> =
  async function revocationFeedRoutes(app, { context }) {
    const hub = context.revocations;
    app.get(PATHS.revocationFeed, async function revocationFeed(request, reply) {
      let clientId: string;
      try {
        // Basic only: a GET has no form body, so client_secret_post cannot apply.
        const client = await requireAuthenticatedClient(context.db, {
          authorization: request.headers.authorization,
          body: {},
        });
        clientId = client.id;
      } catch (error) {
        if (!isOAuthError(error)) throw error;
        request.log.info({ code: error.code, reason: error.reason }, "revocation feed refused");
        return reply
          .code(401)
          .header("www-authenticate", 'Basic realm="sigil", charset="UTF-8"')
          .header("cache-control", "no-store")
          .send({ error: "invalid_client", error_description: "Client authentication failed." });
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        // nginx would otherwise buffer the stream and hold revocations back.
        "x-accel-buffering": "no",
        connection: "keep-alive",
      });
      // Small events must leave at once (no Nagle delay); the stream has no idle timeout of its
      // own: heartbeats keep it busy and the verifier's watchdog notices a dead server.
      request.raw.socket.setNoDelay(true);
      request.raw.socket.setTimeout(0);
      const header = request.headers["last-event-id"];
      const subscriber = hub.subscribe(raw, { lastEventId: typeof header === "string" ? header : undefined });
      request.log.info(
        { client_id: clientId, resumed_from: header, last_event_id: subscriber.lastId },
        "feed subscribed",
      );
    });
    app.addHook("preClose", async () => {
      hub.endSubscribers();
    });
  };
