// The package graph, checked rather than hoped for:
//
//   jwt ← protocol ← { verifier, server } ← cli        client (no Sigil package, no dependency)
//
// A package's source imports only the Sigil packages below it, and every other package it
// imports is declared in its package.json. Tests, benchmarks, scripts and examples reach a
// package only through its public exports ("@sigil/server", "@sigil/server/testing"), never by
// a path into its src/ or test/; a package's own tests may import its own src/.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { test } from "node:test";

const root = resolve(import.meta.dirname, "..");

/** Which Sigil packages each package's source may import. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  jwt: [],
  protocol: ["jwt"],
  verifier: ["jwt", "protocol"],
  server: ["jwt", "protocol"],
  cli: ["jwt", "protocol", "server"],
  client: [],
};

interface PackageJSON {
  name: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const packages = new Map<string, PackageJSON>();
for (const name of readdirSync(join(root, "packages"))) {
  const path = join(root, "packages", name, "package.json");
  try {
    packages.set(name, JSON.parse(readFileSync(path, "utf8")) as PackageJSON);
  } catch {
    // not a package directory
  }
}
const rootPackage = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as PackageJSON;

function* walk(dir: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry === "node_modules" || entry === "dist" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(ts|mts|mjs|js)$/.test(entry) && !entry.endsWith(".d.ts")) yield path;
  }
}

/** Every module specifier a file imports or re-exports, statically or with import(). */
function specifiersOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/g,
    /(?:^|\n)\s*import\s+["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

/** The bare package name of a specifier ("@scope/name/sub" → "@scope/name"). */
function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0] as string);
}

/** Where a file lives: in a package (its source, or its tests and the like), or outside every package. */
function ownerOf(file: string): { package: string; part: "src" | "other" } | undefined {
  const path = relative(root, file).split(sep);
  if (path[0] !== "packages" || path[1] === undefined) return undefined;
  return { package: path[1], part: path[2] === "src" ? "src" : "other" };
}

const files = [
  ...walk(join(root, "packages")),
  ...walk(join(root, "bench")),
  ...walk(join(root, "examples")),
  ...walk(join(root, "scripts")),
  ...walk(join(root, "test")),
];

test("no file reaches into another package by path", () => {
  const violations: string[] = [];
  for (const file of files) {
    const owner = ownerOf(file);
    for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      const target = relative(root, resolve(dirname(file), specifier)).split(sep);
      const into = target[0] === "packages" ? target[1] : undefined;
      if (into !== undefined && into !== owner?.package) {
        violations.push(`${relative(root, file)} imports ${specifier}: use the package's public exports`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("a package's source imports only the Sigil packages below it, and declares every dependency", () => {
  const violations: string[] = [];
  for (const file of files) {
    const owner = ownerOf(file);
    if (owner?.part !== "src") continue;
    const manifest = packages.get(owner.package);
    assert.ok(manifest, owner.package);
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".") || isBuiltin(specifier)) continue;
      const name = packageNameOf(specifier);
      const where = relative(root, file);
      if (name.startsWith("@sigil/")) {
        const target = name.slice("@sigil/".length);
        if (target !== owner.package && !(ALLOWED[owner.package] ?? []).includes(target)) {
          violations.push(`${where} imports ${specifier}: ${owner.package} may not depend on ${target}`);
        }
      }
      if (name !== manifest.name && !declared.has(name)) {
        violations.push(`${where} imports ${name}, which packages/${owner.package}/package.json does not declare`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("every Sigil import outside a package's source names an export the package declares", () => {
  const violations: string[] = [];
  for (const file of files) {
    if (ownerOf(file)?.part === "src") continue;
    for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
      if (!specifier.startsWith("@sigil/")) continue;
      const name = packageNameOf(specifier);
      const manifest = packages.get(name.slice("@sigil/".length));
      const subpath = `.${specifier.slice(name.length)}`;
      if (manifest?.exports?.[subpath] === undefined) {
        violations.push(`${relative(root, file)} imports ${specifier}, which is not an export of ${name}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test("every package the tests, benchmarks and examples import is declared somewhere", () => {
  const declared = new Set<string>(Object.keys(rootPackage.devDependencies ?? {}));
  for (const manifest of packages.values()) {
    for (const deps of [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies]) {
      for (const name of Object.keys(deps ?? {})) declared.add(name);
    }
    declared.add(manifest.name);
  }
  const violations: string[] = [];
  for (const file of files) {
    if (ownerOf(file)?.part === "src") continue;
    for (const specifier of specifiersOf(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".") || isBuiltin(specifier)) continue;
      if (!declared.has(packageNameOf(specifier))) violations.push(`${relative(root, file)} imports ${specifier}`);
    }
  }
  assert.deepEqual(violations, []);
});
