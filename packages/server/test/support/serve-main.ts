// A real `sigil serve` process for tests that need signals (SIGTERM): configuration from the
// environment, the summary line on stdout.
import { loadConfig } from "../../src/config/index.js";
import { startServer } from "../../src/serve.js";

await startServer(loadConfig(process.env));
