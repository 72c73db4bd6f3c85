// @sigil/server/testing: a documented harness for tests of the server, of services that verify
// its tokens, of examples and benchmarks — a real server on a fresh PGlite or a given
// PostgreSQL, users, clients and tokens, and time that moves only when a test moves it. This
// file only re-exports.
export { createTestDatabase, describeEachDatabase, stopPostgresAfterTests } from "./each-database.js";
export { FakeTime, settle } from "./fake-time.js";
export { freePort } from "./free-port.js";
export { basicAuthorization, type CallOptions, type CallResult, call, type ResponseBody } from "./http.js";
export { openTestPGlite, seedPGliteDataDir } from "./pglite-template.js";
export { findPostgresBinaries, startTestPostgres, type TestPostgres } from "./postgres.js";
export {
  startTestServer,
  TEST_PASSWORD,
  type TestClient,
  type TestServer,
  type TestServerOptions,
  type TestTokens,
  type TestUser,
  uniqueEmail,
} from "./test-server.js";
export {
  type ReceivedMail,
  startTestSmtpServer,
  type TestSmtpServer,
  type TestSmtpServerOptions,
} from "./test-smtp-server.js";
