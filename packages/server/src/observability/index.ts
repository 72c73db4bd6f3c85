export { createLoggerOptions, serializeRequest } from "./logger-options.js";
export { type HashQueueSource, Metrics } from "./metrics.js";
export { REDACT_PATHS, redactUrl, SECRET_FIELDS } from "./redaction.js";
