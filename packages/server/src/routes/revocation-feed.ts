import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { requireAuthenticatedClient } from "../clients/authenticate-client.js";
import type { Client } from "../clients/client.js";
import { requirePermission } from "../clients/client-permissions.js";
import { isOAuthError } from "../clients/oauth-error.js";
import { sendHttpError } from "../http/http-errors.js";
import { RAW_SECURITY_HEADERS } from "../http/security-headers.js";
import type { ServerContext } from "../server-context.js";
import { PATHS } from "./paths.js";

export interface RevocationFeedRoutesOptions {
  context: Pick<ServerContext, "db" | "revocations" | "config" | "metrics">;
}

/** Seconds a verifier refused for a connection limit is asked to wait (its own back-off grows from there). */
const LIMIT_RETRY_AFTER_SECONDS = 30;

/**
 * GET /revocations/feed — the revocation feed (Server-Sent Events, WHATWG HTML §9.2) for
 * verifiers. Only a registered confidential client granted the `revocation-feed` permission may
 * subscribe (the feed carries user and session ids), with HTTP Basic (client_secret_basic,
 * RFC 6749 §2.3.1); anything else gets 401 `invalid_client` (§5.2) with a Basic challenge
 * (RFC 7617 §2), or 403 `unauthorized_client` without the permission. Connections are capped per
 * client and in total (SIGIL_FEED_MAX_CONNECTIONS_PER_CLIENT, SIGIL_FEED_MAX_CONNECTIONS): an
 * idle subscriber costs memory, and a client reconnecting without closing must not exhaust it.
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
    const { feedMaxConnections, feedMaxConnectionsPerClient } = context.config;
    context.metrics.observeFeed(hub);
    app.get(PATHS.revocationFeed, async function revocationFeed(request, reply) {
      let client: Client;
      try {
        // Basic only: a GET has no form body, so client_secret_post cannot apply.
        client = await requireAuthenticatedClient(context.db, {
          authorization: request.headers.authorization,
          body: {},
        });
        requirePermission(client, "revocation-feed");
      } catch (error) {
        if (!isOAuthError(error)) throw error;
        request.log.info({ code: error.code, reason: error.reason }, "revocation feed refused");
        context.metrics.feedRefusalsTotal.inc({ reason: error.code });
        reply.header("cache-control", "no-store");
        if (error.status === 401) reply.header("www-authenticate", 'Basic realm="sigil", charset="UTF-8"');
        return reply.code(error.status).send({ error: error.code, error_description: error.message });
      }
      if (hub.subscriberCount >= feedMaxConnections) {
        return refuse(reply, "feed_connection_limit", { client_id: client.id, subscribers: hub.subscriberCount });
      }
      const held = hub.subscribersOf(client.id);
      if (held >= feedMaxConnectionsPerClient) {
        return refuse(reply, "feed_client_connection_limit", { client_id: client.id, connections: held });
      }
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        ...RAW_SECURITY_HEADERS,
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
      const subscriber = hub.subscribe(raw, {
        clientId: client.id,
        lastEventId: typeof header === "string" ? header : undefined,
      });
      request.log.info(
        { client_id: client.id, resumed_from: header, last_event_id: subscriber.lastId },
        "feed subscribed",
      );
    });
    app.addHook("preClose", async () => {
      hub.endSubscribers();
    });

    function refuse(
      reply: FastifyReply,
      code: "feed_connection_limit" | "feed_client_connection_limit",
      details: Record<string, unknown>,
    ): FastifyReply {
      reply.log.warn(details, `revocation feed refused: ${code}`);
      context.metrics.feedRefusalsTotal.inc({ reason: code });
      reply.header("retry-after", String(LIMIT_RETRY_AFTER_SECONDS)).header("cache-control", "no-store");
      return sendHttpError(reply, code);
    }
  };
