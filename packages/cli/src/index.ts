export { EXIT_STATUSES } from "./lib/errors.js";
export type { CliIO, InputStream, OutputStream } from "./lib/io.js";
export { main } from "./main.js";
