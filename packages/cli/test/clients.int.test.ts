// `sigil clients create` and `sigil clients list` against a real PGlite data directory.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { authenticateClient, loadConfig, openPGlite } from "@sigil/server";
import { isOneLineError, pgliteDataDir, run } from "./helpers.js";

describe("sigil clients", () => {
  test("create prints the id and the secret once; the secret authenticates; list never shows it", async () => {
    const dataDir = await pgliteDataDir();
    const env = { SIGIL_DATA_DIR: dataDir, NO_COLOR: "1" };
    const created = await run(
      [
        "clients",
        "create",
        "--name",
        "billing",
        "--grant",
        "client_credentials",
        "--audience",
        "https://billing.internal",
        "--scope",
        "invoices:read,invoices:write",
      ],
      { env },
    );
    assert.equal(created.code, 0, created.stderr);
    const id = /^client_id: +(\S+)$/m.exec(created.stdout)?.[1];
    const secret = /^client_secret: +(\S+)$/m.exec(created.stdout)?.[1];
    assert.ok(id && secret, created.stdout);
    assert.match(created.stdout, /^grants: +client_credentials$/m);
    assert.match(created.stdout, /^audience: +https:\/\/billing\.internal$/m);
    assert.match(created.stdout, /^scopes: +invoices:read invoices:write$/m);
    assert.match(created.stderr, /only its hash is kept, so it cannot be shown again/);

    const listed = await run(["clients", "list"], { env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      new RegExp(`^${id} {2}name="billing" {2}grants=client_credentials {2}audience=https://billing.internal`, "m"),
    );
    assert.ok(!listed.stdout.includes(secret), "the secret is never shown again");

    const db = await openPGlite(dataDir);
    try {
      const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64");
      const auth = await authenticateClient(db, { authorization: `Basic ${basic}`, body: {} });
      assert.equal(auth.kind, "authenticated");
    } finally {
      await db.close();
    }
  });

  test("without --audience it prints the service audience the server's configuration gives (SIGIL_PORT, SIGIL_ISSUER, SIGIL_SERVICE_AUDIENCE)", async () => {
    const dataDir = await pgliteDataDir();
    const cases: [Record<string, string>, string][] = [
      [{}, "http://localhost:3000/services"],
      [{ SIGIL_PORT: "8080" }, "http://localhost:8080/services"],
      [{ SIGIL_PORT: "8080", SIGIL_ISSUER: "https://auth.example.com" }, "https://auth.example.com/services"],
      [
        { SIGIL_ISSUER: "https://auth.example.com", SIGIL_SERVICE_AUDIENCE: "urn:example:services" },
        "urn:example:services",
      ],
    ];
    for (const [settings, expected] of cases) {
      const env = { SIGIL_DATA_DIR: dataDir, NO_COLOR: "1", ...settings };
      // The same configuration code the server runs.
      assert.equal(loadConfig(env).serviceAudience, expected);
      const created = await run(["clients", "create", "--name", "svc", "--grant", "client_credentials"], { env });
      assert.equal(created.code, 0, created.stderr);
      const audience =
        /^audience: +(\S+) \(the server's service audience: SIGIL_SERVICE_AUDIENCE, else its issuer/m.exec(
          created.stdout,
        );
      assert.equal(audience?.[1], expected, `${JSON.stringify(settings)}: ${created.stdout}`);
    }
  });

  test("--allow grants permissions at creation; update changes them on an existing client; list shows them", async () => {
    const dataDir = await pgliteDataDir();
    const env = { SIGIL_DATA_DIR: dataDir, NO_COLOR: "1" };
    const created = await run(
      ["clients", "create", "--name", "api", "--grant", "client_credentials", "--allow", "revocation-feed"],
      { env },
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^permissions: +revocation-feed$/m);
    const id = /^client_id: +(\S+)$/m.exec(created.stdout)?.[1] ?? "";
    const updated = await run(["clients", "update", id, "--allow", "introspection,revocation-feed"], { env });
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(updated.stdout.trim(), `${id}  allow=introspection,revocation-feed`);
    const list = await run(["clients", "list"], { env });
    assert.match(list.stdout, new RegExp(`^${id} .*allow=introspection,revocation-feed`, "m"));
    const none = await run(["clients", "update", id, "--allow", "none"], { env });
    assert.equal(none.stdout.trim(), `${id}  allow=(none)`);
    const unknown = await run(["clients", "update", "client_nobody", "--allow", "introspection"], { env });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no client "client_nobody" is registered/);
  });

  test("an OpenID Connect web app: --grant authorization_code with redirect URIs, --public, --first-party; update replaces the URIs", async () => {
    const dataDir = await pgliteDataDir();
    const env = { SIGIL_DATA_DIR: dataDir, NO_COLOR: "1" };
    const created = await run(
      [
        "clients",
        "create",
        "--name",
        "bank",
        "--grant",
        "authorization_code,refresh_token",
        "--redirect-uri",
        "https://bank.example.com/callback",
        "--post-logout-redirect-uri",
        "https://bank.example.com/",
        "--public",
        "--first-party",
      ],
      { env },
    );
    assert.equal(created.code, 0, created.stderr);
    assert.doesNotMatch(created.stdout, /client_secret/, "a public client has no secret");
    assert.match(created.stdout, /^redirect_uri: +https:\/\/bank\.example\.com\/callback$/m);
    assert.match(created.stdout, /^post_logout: +https:\/\/bank\.example\.com\/$/m);
    assert.match(created.stdout, /^first_party: +yes/m);
    const id = /^client_id: +(\S+)$/m.exec(created.stdout)?.[1] ?? "";
    const updated = await run(
      [
        "clients",
        "update",
        id,
        "--redirect-uri",
        "https://bank.example.com/cb2",
        "--redirect-uri",
        "http://127.0.0.1:4000/cb",
      ],
      { env },
    );
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /redirect_uris=https:\/\/bank\.example\.com\/cb2,http:\/\/127\.0\.0\.1:4000\/cb/);
    const list = await run(["clients", "list"], { env });
    assert.match(
      list.stdout,
      new RegExp(`^${id} .*redirect_uris=https://bank.example.com/cb2.* first-party +public`, "m"),
    );

    for (const [argv, expected] of [
      [["--grant", "authorization_code"], /needs at least one redirect URI/],
      [["--grant", "authorization_code", "--redirect-uri", "http://bank.example.com/cb"], /must use https/],
      [["--grant", "authorization_code", "--redirect-uri", "https://bank.example.com/cb#x"], /fragment/],
      [
        ["--grant", "client_credentials", "--redirect-uri", "https://bank.example.com/cb"],
        /redirect URIs are for clients/,
      ],
    ] as const) {
      const refused = await run(["clients", "create", "--name", "x", ...argv], { env });
      assert.equal(refused.code, 2, refused.stdout);
      assert.match(refused.stderr, expected);
    }
  });

  test("usage errors are one line, exit 2, before the database is opened", async () => {
    const env = { SIGIL_DATA_DIR: "/nonexistent/never-created" };
    for (const [argv, expected] of [
      [["clients", "create", "--grant", "client_credentials"], /--name is required/],
      [["clients", "create", "--name", "x"], /give at least one --grant/],
      [["clients", "create", "--name", "x", "--grant", "implicit"], /unknown grant 'implicit' \(choose from/],
      [["clients", "list", "extra"], /unexpected argument 'extra'/],
      [
        ["clients", "create", "--name", "x", "--grant", "client_credentials", "--allow", "everything"],
        /unknown permission 'everything'/,
      ],
      [["clients", "update", "client_x"], /nothing to change/],
      [["clients", "update", "--allow", "introspection"], /give exactly one CLIENT_ID/],
      [
        ["clients", "create", "--name", "spa", "--grant", "client_credentials", "--public"],
        /a public client cannot use the client_credentials grant/,
      ],
    ] as const) {
      const result = await run(argv, { env });
      assert.ok(isOneLineError(result), result.stderr);
      assert.equal(result.code, 2);
      assert.match(result.stderr, expected);
    }
  });
});
