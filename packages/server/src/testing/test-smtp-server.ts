import type { AddressObject, ParsedMail } from "mailparser";
import type { SMTPServer, SMTPServerDataStream, SMTPServerOptions, SMTPServerSession } from "smtp-server";

// Why here, in the public harness, and not in a test/support/ file at the repository root: the
// server's own tests (the mail module now, the email flows next) and the browser end-to-end tests
// at the root both need a real SMTP server, and "@sigil/server/testing" is what both already
// import, as they do for startTestPostgres; a root file would have the server's tests import
// upwards out of their package. The price is that this file's src imports smtp-server and
// mailparser, so @sigil/server declares them as optional peer dependencies (the boundary test
// wants every import declared, and a production install must not pull in an SMTP server). Both
// are loaded with import() when a test starts a server, so importing the harness works without
// them, and this file's exported types are its own: no type of theirs reaches a user of the harness.

/** A message the test server accepted, parsed. */
export interface ReceivedMail {
  /** The SMTP envelope: MAIL FROM and the RCPT TO addresses. */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** The user the client authenticated as, when it did. */
  readonly user: string | undefined;
  /** The From header's addresses and display names, decoded. */
  readonly from: readonly { readonly name: string; readonly address: string }[];
  /** The To header's addresses. */
  readonly to: readonly string[];
  readonly subject: string;
  /** The text/plain body. */
  readonly text: string;
  /** The text/html body, as sent (mailparser decodes the transfer encoding only). */
  readonly html: string;
  /** Each header as it was sent (lower-case name → the value after the colon, unfolded; last one wins). */
  readonly headers: ReadonlyMap<string, string>;
  /** The whole message as received, CRLF line ends included. */
  readonly raw: string;
}

export interface TestSmtpServerOptions {
  /** Require AUTH PLAIN or LOGIN with this user and password; without it, no AUTH is offered. */
  auth?: { user: string; password: string };
}

/** An SMTP server on a free loopback port, keeping what it receives. */
export interface TestSmtpServer {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** `smtp://[user:password@]127.0.0.1:<port>`, to use as SIGIL_SMTP_URL. */
  readonly url: string;
  /** Every message accepted so far, in order of arrival. */
  readonly messages: readonly ReceivedMail[];
  /**
   * The oldest message for `to` (an envelope recipient, compared case-insensitively) that no
   * earlier call took: resolved at once if it has arrived, else the moment it does. Taking makes
   * a message that arrives before the call safe to wait for. Rejects when `signal` aborts or the
   * server closes first.
   */
  nextMessage(to: string, options?: { signal?: AbortSignal }): Promise<ReceivedMail>;
  /** Stops listening and ends open connections; pending nextMessage calls reject. Idempotent. */
  close(): Promise<void>;
}

interface Waiter {
  readonly to: string;
  readonly resolve: (mail: ReceivedMail) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Starts a real SMTP server (smtp-server) on 127.0.0.1 and a port the OS picks, plain text (no
 * TLS, no STARTTLS), with AUTH when `options.auth` is given. Each message is parsed with
 * mailparser and handed to whoever waits for its recipient.
 *
 * @example
 * const smtp = await startTestSmtpServer({ auth: { user: "sigil", password: "pw" } });
 * const server = await startTestServer({ env: { SIGIL_SMTP_URL: smtp.url } });
 * // … something that sends mail to alice@example.com …
 * const mail = await smtp.nextMessage("alice@example.com");
 * await smtp.close();
 */
export async function startTestSmtpServer(options: TestSmtpServerOptions = {}): Promise<TestSmtpServer> {
  const [{ SMTPServer }, { simpleParser }] = await loadDependencies();
  const messages: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters: Waiter[] = [];
  let closing: Promise<void> | undefined;

  const deliver = (mail: ReceivedMail): void => {
    messages.push(mail);
    const recipients = mail.envelope.to.map((address) => address.toLowerCase());
    const index = waiters.findIndex((waiter) => recipients.includes(waiter.to));
    if (index === -1) return;
    const [waiter] = waiters.splice(index, 1) as [Waiter];
    taken.add(mail);
    waiter.resolve(mail);
  };

  const auth = options.auth;
  const serverOptions: SMTPServerOptions = {
    secure: false,
    // No certificate to offer: a client that saw STARTTLS would upgrade and then distrust it.
    disabledCommands: auth === undefined ? ["STARTTLS", "AUTH"] : ["STARTTLS"],
    authMethods: ["PLAIN", "LOGIN"],
    authOptional: auth === undefined,
    // Loopback only, so a password in clear crosses no network.
    allowInsecureAuth: true,
    logger: false,
    // On close, a client still connected (an idle pooled connection) is told 421 after this many
    // ms instead of smtp-server's 30 s, so a suite's teardown does not wait on it.
    closeTimeout: 200,
    onAuth(credentials, _session, callback) {
      if (auth !== undefined && credentials.username === auth.user && credentials.password === auth.password) {
        callback(null, { user: credentials.username });
      } else {
        callback(Object.assign(new Error("Authentication failed"), { responseCode: 535 }));
      }
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error: Error) => callback(error));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            deliver(toReceivedMail(parsed, session, raw.toString("utf8")));
            callback(null, "queued");
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  };
  const server: SMTPServer = new SMTPServer(serverOptions);
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.server.address();
      if (typeof address === "object" && address !== null) resolve(address.port);
      else reject(new Error("the test SMTP server has no port"));
    });
  });
  const credentials =
    auth === undefined ? "" : `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.password)}@`;

  return {
    host: "127.0.0.1",
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    nextMessage(to, waitOptions = {}) {
      const wanted = to.toLowerCase();
      const arrived = messages.find(
        (mail) => !taken.has(mail) && mail.envelope.to.some((address) => address.toLowerCase() === wanted),
      );
      if (arrived !== undefined) {
        taken.add(arrived);
        return Promise.resolve(arrived);
      }
      if (closing !== undefined)
        return Promise.reject(new Error(`the test SMTP server is closed; no message for ${to}`));
      return new Promise<ReceivedMail>((resolve, reject) => {
        const { signal } = waitOptions;
        const onAbort = (): void => {
          const index = waiters.indexOf(waiter);
          if (index !== -1) waiters.splice(index, 1);
          reject(signal?.reason instanceof Error ? signal.reason : new Error(`no message for ${to}: aborted`));
        };
        const waiter: Waiter = {
          to: wanted,
          resolve: (mail) => {
            signal?.removeEventListener("abort", onAbort);
            resolve(mail);
          },
          reject: (error) => {
            signal?.removeEventListener("abort", onAbort);
            reject(error);
          },
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        waiters.push(waiter);
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const waiter of waiters.splice(0)) {
          waiter.reject(new Error(`the test SMTP server closed before a message for ${waiter.to} arrived`));
        }
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

async function loadDependencies(): Promise<[typeof import("smtp-server"), typeof import("mailparser")]> {
  try {
    return await Promise.all([import("smtp-server"), import("mailparser")]);
  } catch (error) {
    throw new Error(
      "startTestSmtpServer needs the optional peer dependencies smtp-server and mailparser: npm install --save-dev smtp-server mailparser",
      { cause: error },
    );
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): { name: string; address: string }[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value).map((entry) => ({ name: entry.name, address: entry.address ?? "" }));
}

function toReceivedMail(parsed: ParsedMail, session: SMTPServerSession, raw: string): ReceivedMail {
  const headers = new Map<string, string>();
  for (const { key, line } of parsed.headerLines) {
    headers.set(
      key,
      line
        .slice(line.indexOf(":") + 1)
        .replace(/\r?\n[ \t]+/g, " ")
        .trim(),
    );
  }
  const { mailFrom, rcptTo } = session.envelope;
  return {
    envelope: { from: mailFrom === false ? "" : mailFrom.address, to: rcptTo.map((rcpt) => rcpt.address) },
    user: typeof session.user === "string" ? session.user : undefined,
    from: addresses(parsed.from),
    to: addresses(parsed.to).map((entry) => entry.address),
    subject: parsed.subject ?? "",
    text: parsed.text ?? "",
    html: parsed.html === false || parsed.html === undefined ? "" : parsed.html,
    headers,
    raw,
  };
}
