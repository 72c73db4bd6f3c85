// A propagation probe: a @sigil/verifier subscribed to the real auth server's feed (keys and feed
// discovered from the issuer, as a resource service would run it). Told over IPC which token to
// watch, it reports the monotonic time at which a verify() of that token first failed with
// TOKEN_REVOKED. It checks after every chunk the feed delivers and, as a backstop, every
// millisecond while watching, so the time reported is when the next request would have been refused.

import { createAccessTokenVerifier, isVerifierError, silentLogger } from "@sigil/verifier";

interface ProbeConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

const WATCH_LIMIT_MS = 5000;
/** CLOCK_MONOTONIC in milliseconds: the same clock in every process on this machine. */
const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

const raw = process.env.BENCH_PROBE;
if (raw === undefined || process.send === undefined) throw new Error("run by bench/verifier (BENCH_PROBE and IPC)");
const config = JSON.parse(raw) as ProbeConfig;
const send = (message: object): void => {
  process.send?.(message);
};

let watching: { round: number; token: string; since: number; timer: NodeJS.Timeout } | undefined;

function check(): void {
  const watch = watching;
  if (watch === undefined) return;
  try {
    verifier.verify(watch.token);
  } catch (error) {
    const at = monotonicMs();
    stopWatching();
    const code = (error as { code?: unknown }).code;
    send({ type: "revoked", round: watch.round, at, code: typeof code === "string" ? code : "UNEXPECTED" });
    return;
  }
  if (monotonicMs() - watch.since > WATCH_LIMIT_MS) {
    stopWatching();
    send({ type: "revoked", round: watch.round, at: Number.NaN, code: "WATCH_TIMEOUT" });
  }
}

function stopWatching(): void {
  if (watching) clearInterval(watching.timer);
  watching = undefined;
}

/** Passes the feed through unchanged, checking the watched token once each chunk has been applied. */
const tappedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const type = response.headers.get("content-type") ?? "";
  if (response.body === null || !type.startsWith("text/event-stream")) return response;
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      // After the feed client's promise callbacks (which apply the chunk) have run.
      setImmediate(check);
    },
  });
  return new Response(response.body.pipeThrough(tap), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};

const verifier = createAccessTokenVerifier({
  issuer: config.issuer,
  audience: config.issuer,
  algorithms: ["EdDSA"],
  revocation: { clientId: config.clientId, clientSecret: config.clientSecret },
  fetch: tappedFetch,
  logger: silentLogger,
});

process.on("message", (message: { type?: string; round?: number; token?: string }) => {
  if (message.type === "stop") {
    verifier.close();
    process.exit(0);
  }
  if (message.type === "watch" && typeof message.token === "string" && typeof message.round === "number") {
    stopWatching();
    try {
      verifier.verify(message.token);
    } catch (error) {
      const code = isVerifierError(error) ? error.code : String((error as { code?: unknown }).code);
      send({ type: "accepted", round: message.round, ok: false, code });
      return;
    }
    watching = {
      round: message.round,
      token: message.token,
      since: monotonicMs(),
      timer: setInterval(check, 1),
    };
    send({ type: "accepted", round: message.round, ok: true });
  }
});
process.on("disconnect", () => process.exit(0));

try {
  await verifier.ready();
  send({ type: "ready", pid: process.pid });
} catch (error) {
  send({ type: "failed", message: (error as Error).stack ?? String(error) });
  process.exit(1);
}
