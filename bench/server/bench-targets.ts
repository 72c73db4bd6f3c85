// The servers a run measures: the server under test in a child process per database, each with
// its accounts and sessions already created. PostgreSQL is a throw-away cluster started from
// the machine's binaries (the test harness's startPostgres); without them that case is skipped.

import { startTestPostgres, type TestPostgres } from "@sigil/server/testing";
import { type Credentials, registerUsers, type Session, startSessions } from "./seed.js";
import { type ServerUnderTest, startServerProcess } from "./server-process.js";
import type { DatabaseKind } from "./settings.js";
import { prepareSignInProbe, type SignInProbeAccount } from "./sign-in-probe.js";

export interface PreparedServer {
  readonly kind: DatabaseKind;
  readonly server: ServerUnderTest;
  readonly users: Credentials[];
  /** One per refresh chain; the chains advance these in place. */
  readonly sessions: Session[];
  /** The sessions' first access tokens (still valid after rotation) for the userinfo probe. */
  readonly accessTokens: string[];
  /** The sign-in probe's own account and device tokens; null where no probe runs. */
  readonly signInProbe: SignInProbeAccount | null;
}

export interface PrepareOptions {
  readonly kind: DatabaseKind;
  readonly users: number;
  readonly sessions: number;
  /** Workers of the sign-in probe (each gets a device token); 0: no probe against this server. */
  readonly signInProbeWorkers: number;
  readonly log: (line: string) => void;
}

/** Running servers and the PostgreSQL cluster, stopped together by `stopAll`. */
export class BenchServers {
  readonly #servers: ServerUnderTest[] = [];
  #postgres: TestPostgres | undefined;

  async prepare(options: PrepareOptions): Promise<PreparedServer> {
    let databaseUrl: string | undefined;
    if (options.kind === "postgres") {
      this.#postgres ??= await startTestPostgres();
      databaseUrl = this.#postgres.url;
    }
    const server = await startServerProcess(databaseUrl === undefined ? {} : { databaseUrl });
    this.#servers.push(server);
    options.log(
      `  ${options.kind}: listening on ${server.url} (${server.database}), hash concurrency ${server.hashConcurrency}`,
    );
    // Registration hashes too: a few more connections than hashing slots keep them busy.
    const parallel = server.hashConcurrency * 2;
    const users = await registerUsers(server.url, options.users, parallel);
    const sessions = await startSessions(server.url, users, options.sessions, parallel);
    const signInProbe =
      options.signInProbeWorkers > 0 ? await prepareSignInProbe(server.url, options.signInProbeWorkers) : null;
    return {
      kind: options.kind,
      server,
      users,
      sessions,
      accessTokens: sessions.map((s) => s.accessToken),
      signInProbe,
    };
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.#servers.map((server) => server.stop()));
    await this.#postgres?.stop();
  }
}
