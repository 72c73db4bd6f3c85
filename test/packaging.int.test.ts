// A user installs the parts, not the repository. This test does what such a user does: the six
// packages are built and packed (`npm pack`), the tarballs installed into an empty project in a
// temporary directory, far from this repository and its node_modules, and from there:
//   - every export of every package loads, and TypeScript finds every export's types;
//   - the installed `sigil` registers a client and serves (`node_modules/.bin/sigil serve`);
//   - a plain ESM script verifies a token with @sigil/verifier against that server, keys from its
//     JWKS and revocations from its feed, and sees the token refused once its session ends;
//   - the hosted sign-in page renders from the installed templates and stylesheet;
//   - `sigil decode` reads the token; SIGTERM stops the server with exit status 0.
// Dependencies come from npm's cache when it has them (`npm ci` just filled it), else from the
// registry; the Sigil packages come only from the tarballs.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { freePort } from "@sigil/server/testing";
import { cleanEnv, portIsFree, runProcess, startProcess } from "./support/processes.js";

const root = resolve(import.meta.dirname, "..");
const INSTALL_TIMEOUT_MS = 300_000;

interface PackedPackage {
  name: string;
  version: string;
  filename: string;
  files: { path: string }[];
}

interface PackageJSON {
  name: string;
  exports: Record<string, unknown>;
}

test("the packed packages install into an empty project and work there without the repository", {
  timeout: 600_000,
}, async (t) => {
  const work = await mkdtemp(join(tmpdir(), "sigil-packaging-"));
  after(() => rm(work, { recursive: true, force: true }));
  const env = cleanEnv();

  // What a release would publish: the build, then one tarball per workspace.
  const build = await runProcess("npm", ["run", "build"], { cwd: root, env, timeoutMs: 300_000 });
  assert.equal(build.code, 0, `npm run build:\n${build.stdout}\n${build.stderr}`);
  const tarballs = join(work, "tarballs");
  await mkdir(tarballs);
  const pack = await runProcess(
    "npm",
    ["pack", "--workspaces", "--ignore-scripts", "--json", "--pack-destination", tarballs],
    { cwd: root, env: { ...env, npm_config_loglevel: "error" }, timeoutMs: 120_000 },
  );
  assert.equal(pack.code, 0, `npm pack:\n${pack.stderr}`);
  // npm may print notices before the JSON; the JSON is the last thing on stdout.
  const packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("[\n"))) as PackedPackage[];
  assert.deepEqual(packed.map((p) => p.name).sort(), [
    "@sigil/cli",
    "@sigil/client",
    "@sigil/jwt",
    "@sigil/protocol",
    "@sigil/server",
    "@sigil/verifier",
  ]);
  for (const pkg of packed) {
    const paths = pkg.files.map((f) => f.path);
    for (const needed of ["package.json", "README.md", "dist/index.js", "dist/index.d.ts"]) {
      assert.ok(paths.includes(needed), `${pkg.name}'s tarball has ${needed}`);
    }
    const unwanted = paths.filter((p) => p.startsWith("src/") || p.startsWith("test/") || p.endsWith(".tsbuildinfo"));
    assert.deepEqual(unwanted, [], `${pkg.name}'s tarball holds no sources, tests or build bookkeeping`);
  }
  const serverFiles = packed.find((p) => p.name === "@sigil/server")?.files.map((f) => f.path) ?? [];
  assert.ok(serverFiles.includes("data/common-passwords.txt"), "the server ships its password list");
  assert.ok(serverFiles.filter((p) => /^migrations\/\d+_\w+\.sql$/.test(p)).length >= 2, "and its migrations");
  for (const page of ["views/layout.eta", "views/sign-in.eta", "assets/sigil.css", "assets/icon.svg"]) {
    assert.ok(serverFiles.includes(page), `the server ships the hosted pages' ${page}`);
  }
  assert.ok(packed.find((p) => p.name === "@sigil/cli")?.files.some((f) => f.path === "bin/sigil.js"));

  // An empty project that installs the tarballs and nothing else.
  const project = join(work, "project");
  await mkdir(project);
  await writeFile(
    join(project, "package.json"),
    `${JSON.stringify({ name: "sigil-packaging-check", private: true, type: "module" }, null, 2)}\n`,
  );
  const install = await runProcess(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--no-update-notifier",
      ...packed.map((p) => join(tarballs, p.filename)),
    ],
    { cwd: project, env, timeoutMs: INSTALL_TIMEOUT_MS },
  );
  assert.equal(install.code, 0, `npm install:\n${install.stdout}\n${install.stderr}`);
  const lock = JSON.parse(await readFile(join(project, "package-lock.json"), "utf8")) as {
    packages: Record<string, { resolved?: string }>;
  };
  for (const pkg of packed) {
    const resolved = lock.packages[`node_modules/${pkg.name}`]?.resolved ?? "";
    assert.match(resolved, /^file:/, `${pkg.name} came from its tarball, not from a registry`);
  }
  // npm warns (EBADENGINE) about a dependency that declares a newer Node.js than ours; each one a
  // user can meet must be explained where they look: the server's README.
  const serverReadme = await readFile(join(root, "packages/server/README.md"), "utf8");
  const warned = [...install.stderr.matchAll(/EBADENGINE\s+package: '((?:@[^/']+\/)?[^@']+)@[^']*'/g)].map((m) => m[1]);
  t.diagnostic(`EBADENGINE warnings on ${process.version}: ${warned.join(", ") || "none"}`);
  for (const name of warned) {
    assert.ok(
      serverReadme.includes("EBADENGINE") && serverReadme.includes(`\`${name}`),
      `npm install warns EBADENGINE for ${name}: packages/server/README.md must say why and whether it matters`,
    );
  }

  // Every export of every package loads from dist/, as a user's `import` resolves it.
  const specifiers: string[] = [];
  for (const pkg of packed) {
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules", pkg.name, "package.json"), "utf8"),
    ) as PackageJSON;
    for (const subpath of Object.keys(manifest.exports)) specifiers.push(`${pkg.name}${subpath.slice(1)}`);
  }
  const loadAll = `${specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join("\n")}
const all = [${specifiers.map((_, i) => `m${i}`).join(", ")}];
console.log(JSON.stringify(all.map((m) => Object.keys(m).length)));
`;
  await writeFile(join(project, "load-all.mjs"), loadAll);
  const loaded = await runProcess(process.execPath, ["load-all.mjs"], { cwd: project, env });
  assert.equal(loaded.code, 0, `loading every export:\n${loaded.stderr}`);
  const counts = JSON.parse(loaded.stdout) as number[];
  assert.ok(
    counts.every((n) => n > 0),
    `every export has exports: ${specifiers.map((s, i) => `${s}=${counts[i]}`).join(" ")}`,
  );

  // TypeScript finds the types of every export (the "types" condition, dist/*.d.ts).
  await writeFile(join(project, "load-all.ts"), loadAll.replaceAll(".mjs", ""));
  await writeFile(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [join(root, "node_modules/@types")],
      },
      files: ["load-all.ts"],
    }),
  );
  const tsc = await runProcess(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "."], {
    cwd: project,
    env,
  });
  assert.equal(tsc.code, 0, `tsc in the project:\n${tsc.stdout}\n${tsc.stderr}`);

  // The installed CLI: a client for the verifier's revocation feed (before the server holds the
  // embedded database), then the server itself.
  const port = await freePort();
  const issuer = `http://localhost:${port}`;
  const serverEnv = cleanEnv({ SIGIL_DATA_DIR: join(work, "data"), SIGIL_PORT: String(port) });
  const sigil = join(project, "node_modules/.bin/sigil");
  const created = await runProcess(
    sigil,
    ["clients", "create", "--name", "packaging", "--grant", "client_credentials", "--allow", "revocation-feed"],
    {
      cwd: project,
      env: serverEnv,
    },
  );
  assert.equal(created.code, 0, `sigil clients create:\n${created.stderr}`);
  const clientId = /^client_id:\s+(\S+)$/m.exec(created.stdout)?.[1];
  const clientSecret = /^client_secret:\s+(\S+)$/m.exec(created.stdout)?.[1];
  assert.ok(clientId && clientSecret, created.stdout);

  const server = startProcess(sigil, ["serve"], { cwd: project, env: serverEnv, ready: /^sigil listening on / });
  const summary = await server.ready;
  assert.match(summary, new RegExp(`issuer ${issuer} `));

  // The hosted pages, from the installed package's views/ and assets/.
  const signIn = await fetch(`${issuer}/sign-in`);
  const signInPage = await signIn.text();
  assert.equal(signIn.status, 200, signInPage);
  assert.match(signIn.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(signInPage, /<form[^>]+method="post"/i, "the sign-in form is rendered");
  const stylesheet = await fetch(`${issuer}/assets/sigil.css`);
  assert.equal(stylesheet.status, 200);
  assert.equal(await stylesheet.text(), await readFile(join(root, "packages/server/assets/sigil.css"), "utf8"));

  await writeFile(join(project, "verify.mjs"), VERIFY_SCRIPT);
  const verified = await runProcess(process.execPath, ["verify.mjs", issuer, clientId, clientSecret], {
    cwd: project,
    env,
    timeoutMs: 60_000,
  });
  assert.equal(verified.code, 0, `verify.mjs:\n${verified.stdout}\n${verified.stderr}\n${server.output()}`);
  const result = JSON.parse(verified.stdout.trim().split("\n").at(-1) ?? "") as {
    sub: string;
    iss: string;
    afterLogout: string;
    token: string;
  };
  assert.equal(result.iss, issuer, "the token verified, with keys from the server's JWKS");
  assert.match(result.sub, /^[\w-]+$/);
  assert.equal(result.afterLogout, "TOKEN_REVOKED", "the revocation reached the verifier through the feed");

  const decoded = await runProcess(sigil, ["decode", result.token], { cwd: project, env });
  assert.equal(decoded.code, 0, decoded.stderr);
  assert.match(decoded.stdout, /^Signature NOT checked/m);
  assert.ok(decoded.stdout.includes(`"iss": "${issuer}"`), decoded.stdout);
  assert.ok(decoded.stdout.includes(`"sub": "${result.sub}"`), decoded.stdout);

  const exit = await server.stop("SIGTERM");
  assert.deepEqual(exit, { code: 0, signal: null }, server.output());
  assert.equal(await portIsFree(port), true, "the port is free after SIGTERM");
});

/** A user's plain ESM script: sign in over HTTP, verify locally, log out, see the token refused. */
const VERIFY_SCRIPT = `import { createAccessTokenVerifier, silentLogger } from "@sigil/verifier";

const [issuer, clientId, clientSecret] = process.argv.slice(2);
const credentials = JSON.stringify({ email: "packaging@example.com", password: "tulip-quarry-47-lantern" });
const json = { "content-type": "application/json" };

const registered = await fetch(new URL("/auth/register", issuer), { method: "POST", headers: json, body: credentials });
if (registered.status !== 202) throw new Error(\`register: \${registered.status} \${await registered.text()}\`);
const login = await fetch(new URL("/auth/login", issuer), { method: "POST", headers: json, body: credentials });
const { access_token: token } = await login.json();

// The feed's bytes pass through here on their way to the verifier. A chunk is handed on when the
// verifier reads, and the verifier applies what it read before anything queued after that runs:
// once a revocation event has gone through, the next turn of the event loop sees it applied.
let announce;
const announced = new Promise((resolve) => (announce = resolve));
async function watchingFetch(input, init) {
  const response = await fetch(input, init);
  const url = typeof input === "object" && "url" in input ? input.url : String(input);
  if (!new URL(url).pathname.endsWith("/revocations/feed") || response.body === null) return response;
  const decoder = new TextDecoder();
  let seen = "";
  const body = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        seen += decoder.decode(chunk, { stream: true });
        if (seen.includes("event: revocation\\n")) setImmediate(announce);
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

const verifier = createAccessTokenVerifier({
  issuer,
  fetch: watchingFetch,
  audience: issuer, // the server's default audience: its issuer
  algorithms: ["EdDSA"],
  revocation: { clientId, clientSecret },
  logger: silentLogger,
});
await verifier.ready();
const { payload } = verifier.verify(token);

const logout = await fetch(new URL("/auth/logout", issuer), { method: "POST", headers: { authorization: \`Bearer \${token}\` } });
if (logout.status !== 204) throw new Error(\`logout: \${logout.status}\`);
// No waiting for time to pass: for the feed to announce the logout (the test's timeout turns a
// revocation never announced into a failure).
await announced;
let afterLogout = "accepted";
try {
  verifier.verify(token);
} catch (error) {
  afterLogout = error.code;
}
verifier.close();
console.log(JSON.stringify({ sub: payload.sub, iss: payload.iss, afterLogout, token }));
`;
