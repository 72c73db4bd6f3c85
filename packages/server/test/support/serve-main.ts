// A real `sigil serve` process for tests that need signals (SIGTERM): configuration from the
// environment, the summary line on stdout. With SIGIL_TEST_ANNOUNCE_HASHING=1 it also prints
// `hashing` each time a login reaches the password hasher, so that a test knows when its
// requests are inside the server without waiting for time to pass.
import { loadConfig } from "../../src/config/index.js";
import { startServer } from "../../src/serve.js";

const server = await startServer(loadConfig(process.env));
if (process.env.SIGIL_TEST_ANNOUNCE_HASHING === "1") {
  const hasher = server.context.hasher as { verify: typeof server.context.hasher.verify };
  const verify = hasher.verify;
  hasher.verify = (hash, password) => {
    process.stdout.write("hashing\n");
    return verify(hash, password);
  };
}
