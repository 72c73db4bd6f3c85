// The Node.js version Sigil promises, checked rather than hoped for. One number, the lower
// bound of the root package.json's `engines.node`, is what every package's `engines`, every
// README and every installed dependency must agree with — and the Node.js that runs this test
// (CI's) must meet it. An installed package whose own `engines.node` excludes that minimum fails
// the test by name, with the ways out: npm only warns (EBADENGINE), and the package may then fail
// at run time on the Node.js the README promises.
import assert from "node:assert/strict";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import semver from "semver";

const root = resolve(import.meta.dirname, "..");

interface Manifest {
  name?: string;
  version?: string;
  engines?: { node?: unknown };
}

function readJSON<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

const rootManifest = readJSON<Manifest & { workspaces: string[] }>(join(root, "package.json"));
const promised = rootManifest.engines?.node;
assert.equal(typeof promised, "string", "package.json has engines.node");
const PROMISED = promised as string;
const MINIMUM = semver.minVersion(PROMISED)?.version ?? "";
/** "20.19.0" → "20.19", as the READMEs write it. */
const MINIMUM_SHORT = MINIMUM.replace(/\.0$/, "");

test("the root package.json promises a lower bound: >=MAJOR.MINOR", () => {
  assert.match(PROMISED, /^>=\d+\.\d+(\.\d+)?$/, `engines.node is ${PROMISED}`);
});

test("the Node.js running the tests meets the promise (CI tests the version the README states)", () => {
  assert.ok(
    semver.satisfies(process.version, PROMISED),
    `this is Node.js ${process.version}, but package.json promises ${PROMISED}`,
  );
});

test("every workspace package promises the same Node.js as the root", () => {
  const differing: string[] = [];
  for (const workspace of rootManifest.workspaces) {
    const manifest = readJSON<Manifest>(join(root, workspace, "package.json"));
    if (manifest.engines?.node !== PROMISED) {
      differing.push(`${workspace}/package.json: engines.node ${String(manifest.engines?.node)}, root ${PROMISED}`);
    }
  }
  assert.deepEqual(differing, []);
});

/** Every "Node.js >= X.Y", "Node.js ≥ X.Y" and "Node.js X.Y or later" in the READMEs. */
function statedMinimums(): { file: string; version: string }[] {
  const files = ["README.md"];
  for (const dir of ["packages", "examples"]) {
    for (const entry of readdirSync(join(root, dir))) {
      if (existsSync(join(root, dir, entry, "README.md"))) files.push(join(dir, entry, "README.md"));
    }
  }
  const found: { file: string; version: string }[] = [];
  const pattern = /Node\.js\s*(?:>=|≥)\s*(\d+\.\d+(?:\.\d+)?)|Node\.js (\d+\.\d+(?:\.\d+)?) or later/g;
  for (const file of files) {
    for (const match of readFileSync(join(root, file), "utf8").matchAll(pattern)) {
      found.push({ file, version: (match[1] ?? match[2]) as string });
    }
  }
  return found;
}

test("the READMEs state the same minimum as package.json", () => {
  const stated = statedMinimums();
  assert.ok(
    stated.some((s) => s.file === "README.md"),
    "README.md states the Node.js it needs (Node.js X.Y or later)",
  );
  const wrong = stated.filter((s) => s.version !== MINIMUM_SHORT && s.version !== MINIMUM);
  assert.deepEqual(
    wrong.map((s) => `${s.file} says Node.js ${s.version}`),
    [],
    `package.json's engines.node is ${PROMISED}`,
  );
});

interface Installed {
  /** Where it is, relative to the repository: node_modules/a/node_modules/b. */
  path: string;
  name: string;
  version: string;
  node: unknown;
}

/** Every package installed under a node_modules directory, nested ones included; links (the workspaces) are skipped. */
function* installedPackages(dir: string): Generator<Installed> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.startsWith(".")) continue; // .bin, .package-lock.json, .cache
    const path = join(dir, entry);
    if (entry.startsWith("@")) {
      for (const scoped of readdirSync(path)) yield* installedPackage(join(path, scoped));
    } else {
      yield* installedPackage(path);
    }
  }
}

function* installedPackage(path: string): Generator<Installed> {
  if (lstatSync(path).isSymbolicLink() || !existsSync(join(path, "package.json"))) return;
  const manifest = readJSON<Manifest>(join(path, "package.json"));
  yield {
    path: relative(root, path),
    name: manifest.name ?? relative(root, path),
    version: manifest.version ?? "?",
    node: manifest.engines?.node,
  };
  yield* installedPackages(join(path, "node_modules"));
}

/**
 * What the lock file installs: the installed tree, plus the lock's entries not on this machine
 * (optional packages for other platforms, such as @node-rs/argon2-darwin-arm64), which other
 * machines install.
 */
function lockedAndInstalled(): Installed[] {
  const installed = new Map<string, Installed>();
  for (const base of ["node_modules", ...rootManifest.workspaces.map((w) => join(w, "node_modules"))]) {
    for (const found of installedPackages(join(root, base))) installed.set(found.path, found);
  }
  const lock = readJSON<{
    packages: Record<string, { version?: string; link?: boolean; engines?: { node?: unknown } }>;
  }>(join(root, "package-lock.json"));
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.includes("node_modules/") || entry.link === true || installed.has(path)) continue;
    const name = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    installed.set(path, { path, name, version: entry.version ?? "?", node: entry.engines?.node });
  }
  return [...installed.values()];
}

test(`every installed package runs on the promised minimum, Node.js ${MINIMUM}`, () => {
  const packages = lockedAndInstalled();
  assert.ok(packages.length > 100, `found the installed tree (${packages.length} packages): run npm ci first`);
  const excluding: string[] = [];
  for (const { path, name, version, node } of packages) {
    if (node === undefined || node === "*" || node === "") continue;
    if (typeof node !== "string" || semver.validRange(node) === null) {
      excluding.push(`${name}@${version} (${path}): engines.node ${JSON.stringify(node)} is not a version range`);
    } else if (!semver.satisfies(MINIMUM, node)) {
      excluding.push(`${name}@${version} (${path}) requires Node.js ${node}`);
    }
  }
  assert.deepEqual(
    excluding,
    [],
    [
      `Sigil promises Node.js ${PROMISED} (package.json engines, every packages/*/package.json, the READMEs),`,
      `but the packages listed below say they do not run on Node.js ${MINIMUM}. npm ci only warns (EBADENGINE).`,
      "Either: pick a version of the package, or of the package that brings it in (`npm ls <name>`),",
      "that supports it (`npm view <name>@<version> engines`); or pin one with an npm override in",
      'package.json ("overrides", as light-my-request is pinned there); or raise the minimum in',
      "package.json, every packages/*/package.json, the READMEs and CI's Node.js together.",
    ].join("\n"),
  );
});

test("fastify's inject() (light-my-request, pinned by an override to a version on cookie 1) parses cookies here", async () => {
  // light-my-request 6.8 require()s cookie 2, which is ESM-only and declares Node.js 22; the
  // override in package.json keeps the one before it. Prove the pinned one works with this fastify.
  const { default: fastify } = await import("fastify");
  const app = fastify();
  app.get("/", (_request, reply) => reply.header("set-cookie", "sid=abc; HttpOnly; Path=/").send("ok"));
  const response = await app.inject({ method: "GET", url: "/", cookies: { seen: "1" } });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(
    response.cookies.map((c) => [c.name, c.value, c.httpOnly]),
    [["sid", "abc", true]],
  );
  await app.close();
  const overrides = readJSON<{ overrides?: Record<string, string> }>(join(root, "package.json")).overrides;
  const pinned = overrides?.["light-my-request"];
  const fromFastify = createRequire(fileURLToPath(import.meta.resolve("fastify")));
  const installed = readJSON<Manifest>(join(dirname(fromFastify.resolve("light-my-request")), "package.json")).version;
  assert.equal(installed, pinned, "the installed light-my-request is the overridden one");
});
