import { createServer } from "node:net";

/**
 * A loopback port that was free a moment ago: the OS picks one and the probe closes it again.
 * Another process can take it before the caller binds it (startTestPostgres retries for that reason).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
