export type { CliIO, InputStream, OutputStream } from "./lib/io.js";
export { main } from "./main.js";
export { EXIT_STATUSES } from "./lib/errors.js";
