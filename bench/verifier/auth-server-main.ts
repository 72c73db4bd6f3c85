// The auth server child: the real `sigil serve` (configuration from the environment) plus one
// registered client allowed to read the revocation feed; reports both to the parent over IPC.

import { createClient, loadConfig, PATHS, startServer } from "@sigil/server";

if (process.send === undefined) throw new Error("run by bench/verifier (IPC)");
try {
  const running = await startServer(loadConfig(process.env), { handleSignals: false, print: () => {} });
  const { client, secret } = await createClient(running.db, {
    name: "bench verifiers",
    grantTypes: ["client_credentials"],
    permissions: ["revocation-feed", "introspection"],
  });
  if (secret === null) throw new Error("the feed client has no secret");
  process.on("message", (message: { type?: string }) => {
    if (message.type === "stop") void running.close().finally(() => process.exit(0));
  });
  process.on("disconnect", () => void running.close().finally(() => process.exit(0)));
  process.send({
    type: "listening",
    url: running.url,
    feedUrl: running.url + PATHS.revocationFeed,
    clientId: client.id,
    clientSecret: secret,
  });
} catch (error) {
  process.send({ type: "failed", message: (error as Error).stack ?? String(error) });
  process.exit(1);
}
