// Every package is publishable as it stands: its package.json says what a user's npm and
// TypeScript need (the compiled dist/, its types, its runtime files, exact versions of the other
// Sigil packages, optional framework peers), and nothing points at a file that is not shipped.
// test/packaging.int.test.ts proves the same end to end, from packed tarballs.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "node:test";

const root = resolve(import.meta.dirname, "..");

interface ExportConditions {
  [condition: string]: string;
}

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  type?: string;
  repository?: { type?: string; url?: string; directory?: string };
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, ExportConditions>;
  files?: string[];
  publishConfig?: { access?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  workspaces?: string[];
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

const rootManifest = readManifest(root);
const packages = (rootManifest.workspaces ?? []).map((workspace) => ({
  dir: join(root, workspace),
  short: workspace.slice("packages/".length),
  manifest: readManifest(join(root, workspace)),
}));
const versions = new Map(packages.map((p) => [p.manifest.name, p.manifest.version]));

test("the workspaces are every directory of packages/", () => {
  const onDisk = readdirSync(join(root, "packages")).filter((d) =>
    existsSync(join(root, "packages", d, "package.json")),
  );
  assert.deepEqual(packages.map((p) => p.short).sort(), onDisk.sort());
});

test("every package is publishable: named @sigil/<dir>, public, with the root's version, license and repository", () => {
  assert.equal(rootManifest.repository?.type, "git");
  assert.match(rootManifest.repository?.url ?? "", /^git\+https:\/\/.+\.git$/);
  for (const { short, manifest } of packages) {
    assert.equal(manifest.name, `@sigil/${short}`);
    assert.equal(manifest.private, undefined, `${manifest.name} is not private`);
    assert.equal(manifest.version, rootManifest.version, `${manifest.name} has the root's version`);
    assert.equal(manifest.license, rootManifest.license, `${manifest.name}'s license`);
    assert.ok((manifest.description ?? "").length > 20, `${manifest.name} has a description`);
    assert.equal(manifest.type, "module", `${manifest.name} is ESM`);
    assert.deepEqual(
      manifest.repository,
      { type: "git", url: rootManifest.repository?.url, directory: `packages/${short}` },
      `${manifest.name}'s repository`,
    );
    // A scoped package is private on the registry unless published with access public.
    assert.deepEqual(manifest.publishConfig, { access: "public" }, `${manifest.name}'s publishConfig`);
  }
});

test("every export: sigil-source first (the TypeScript source), then types and default in dist/", () => {
  for (const { dir, manifest } of packages) {
    const exports = manifest.exports ?? {};
    assert.ok(exports["."], `${manifest.name} exports "."`);
    for (const [subpath, conditions] of Object.entries(exports)) {
      const where = `${manifest.name} exports["${subpath}"]`;
      assert.deepEqual(Object.keys(conditions), ["sigil-source", "types", "default"], `${where}: conditions in order`);
      const source = conditions["sigil-source"] ?? "";
      assert.match(source, /^\.\/src\/.+\.ts$/, `${where}: sigil-source`);
      assert.ok(existsSync(join(dir, source)), `${where}: ${source} exists`);
      const compiled = source.replace(/^\.\/src\//, "./dist/");
      assert.equal(conditions["types"], compiled.replace(/\.ts$/, ".d.ts"), `${where}: types`);
      assert.equal(conditions["default"], compiled.replace(/\.ts$/, ".js"), `${where}: default`);
    }
    // For TypeScript configurations that do not read "exports" (moduleResolution node10).
    assert.equal(manifest.types, exports["."]?.["types"], `${manifest.name}: types is the "." export's`);
  }
});

/**
 * The directories outside src/ that a package's code reads at run time, found as
 * `new URL("../../migrations/", import.meta.url)` in its source (the same from dist/).
 */
function runtimeDirectories(dir: string): Set<string> {
  const found = new Set<string>();
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".ts")) {
        const source = readFileSync(child, "utf8");
        for (const match of source.matchAll(/new URL\(\s*"([^"]+)",\s*import\.meta\.url\s*\)/g)) {
          const target = relative(dir, resolve(dirname(child), match[1] as string)).split(sep);
          // npm packs package.json whatever files says.
          if (target[0] !== "src" && target[0] !== ".." && target[0] !== "package.json") found.add(target[0] as string);
        }
      }
    }
  };
  walk(join(dir, "src"));
  return found;
}

test("files: dist without the build's bookkeeping, and every directory the code reads at run time", () => {
  for (const { dir, manifest } of packages) {
    const files = manifest.files ?? [];
    assert.equal(files[0], "dist", `${manifest.name} ships dist/`);
    assert.ok(files.includes("!dist/.tsbuildinfo"), `${manifest.name} leaves out dist/.tsbuildinfo`);
    for (const needed of runtimeDirectories(dir)) {
      assert.ok(files.includes(needed), `${manifest.name} reads ${needed}/ at run time: it must be in files`);
      assert.ok(existsSync(join(dir, needed)), `${manifest.name}: ${needed}/ exists`);
    }
  }
  // The server reads its migrations, the common-passwords list, the hosted pages' templates
  // (views/, rendered by @fastify/view) and their stylesheet and icon (assets/) at run time.
  const server = packages.find((p) => p.short === "server");
  assert.deepEqual([...runtimeDirectories(server?.dir ?? "")].sort(), ["assets", "data", "migrations", "views"]);
});

test("Sigil packages depend on each other at exact versions, and frameworks are optional peers", () => {
  for (const { manifest } of packages) {
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (!name.startsWith("@sigil/")) continue;
      assert.equal(range, versions.get(name), `${manifest.name} depends on ${name} at exactly its version`);
    }
    for (const name of Object.keys(manifest.peerDependencies ?? {})) {
      assert.equal(manifest.peerDependenciesMeta?.[name]?.optional, true, `${manifest.name}: peer ${name} is optional`);
      assert.equal(manifest.dependencies?.[name], undefined, `${manifest.name}: ${name} is a peer, not a dependency`);
    }
  }
  const verifier = packages.find((p) => p.short === "verifier")?.manifest;
  assert.deepEqual(Object.keys(verifier?.peerDependencies ?? {}).sort(), [
    "@types/express",
    "express",
    "fastify",
    "hono",
  ]);
});

test("the CLI's bin is a shipped file that node runs directly", () => {
  const cli = packages.find((p) => p.short === "cli");
  assert.ok(cli);
  assert.deepEqual(cli.manifest.bin, { sigil: "./bin/sigil.js" });
  assert.ok(cli.manifest.files?.includes("bin"), "bin/ is in files");
  const bin = readFileSync(join(cli.dir, "bin/sigil.js"), "utf8");
  assert.ok(bin.startsWith("#!/usr/bin/env node\n"), "a node shebang");
  for (const { manifest } of packages) {
    if (manifest !== cli.manifest) assert.equal(manifest.bin, undefined, `${manifest.name} has no bin`);
  }
});
