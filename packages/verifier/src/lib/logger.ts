/** Where the verifier reports what a service operator should know. Lines never contain a token or secret. */
export interface VerifierLogger {
  warn(message: string): void;
}

/** Discards everything (the default under a test runner). */
export const silentLogger: VerifierLogger = Object.freeze({ warn() {} });

/** One line to stderr per event, prefixed so it can be grepped. */
export const consoleLogger: VerifierLogger = Object.freeze({
  warn(message: string) {
    console.warn(`[sigil/verifier] ${message}`);
  },
});

/** console.warn, except under node's test runner or NODE_ENV=test, where logs would only be noise. */
export function defaultLogger(): VerifierLogger {
  return process.env["NODE_TEST_CONTEXT"] !== undefined || process.env["NODE_ENV"] === "test"
    ? silentLogger
    : consoleLogger;
}
