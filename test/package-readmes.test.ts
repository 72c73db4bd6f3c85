// Each package's README is its documentation on the registry, so it is checked like code:
//   - it names every export of the package (each entry point of its package.json exports);
//   - every name a README's code imports from a Sigil package is an export of it (all READMEs);
//   - its ```ts blocks type-check against the workspace, and the ones marked
//     `<!-- readme-test: runs -->` run to completion;
//   - the verifier's names every option of createAccessTokenVerifier;
//   - relative links in the READMEs lead to files that exist, and the READMEs link each other.
// @sigil/client's README is organised by task and is checked for correct names, not completeness.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, test } from "node:test";
import ts from "typescript";

const root = resolve(import.meta.dirname, "..");
const COMPLETE = ["jwt", "protocol", "verifier", "server", "cli"];

interface Block {
  readme: string;
  lang: string;
  code: string;
  runs: boolean;
  /** Line of the opening fence, for messages. */
  line: number;
}

function blocksOf(readme: string): Block[] {
  const text = readFileSync(join(root, readme), "utf8");
  const blocks: Block[] = [];
  const pattern = /(?:<!-- readme-test: (\w+) -->\n)?```(\w+)\n([\s\S]*?)```/g;
  for (const match of text.matchAll(pattern)) {
    blocks.push({
      readme,
      lang: match[2] as string,
      code: match[3] as string,
      runs: match[1] === "runs",
      line: text.slice(0, match.index).split("\n").length + (match[1] === undefined ? 0 : 1),
    });
  }
  return blocks;
}

const packageDirs = readdirSync(join(root, "packages")).filter((d) =>
  existsSync(join(root, "packages", d, "package.json")),
);
const readmes = [
  "README.md",
  ...packageDirs.map((d) => `packages/${d}/README.md`),
  ...readdirSync(join(root, "examples")).map((d) => `examples/${d}/README.md`),
].filter((path) => existsSync(join(root, path)));

/** Every entry point: "@sigil/server/testing" → its TypeScript source. */
const entries = new Map<string, string>();
for (const dir of packageDirs) {
  const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as {
    name: string;
    exports: Record<string, Record<string, string>>;
  };
  for (const [subpath, conditions] of Object.entries(manifest.exports)) {
    entries.set(`${manifest.name}${subpath.slice(1)}`, join(root, "packages", dir, conditions["sigil-source"] ?? ""));
  }
}

// The ```ts blocks of the complete READMEs, as modules next to a node_modules that is the workspace's.
const scratch = mkdtempSync(join(tmpdir(), "sigil-readme-code-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"), "dir");
const tsBlocks = COMPLETE.flatMap((dir) => blocksOf(`packages/${dir}/README.md`)).filter((b) => b.lang === "ts");
const blockFiles = tsBlocks.map((block, i) => {
  const file = join(scratch, `${block.readme.split("/")[1]}-${i}.mts`);
  writeFileSync(file, block.code);
  return file;
});

const base = ts.readConfigFile(join(root, "tsconfig.base.json"), ts.sys.readFile).config as { compilerOptions: object };
const { options } = ts.convertCompilerOptionsFromJson(
  {
    ...base.compilerOptions,
    noEmit: true,
    declaration: false,
    customConditions: ["sigil-source"],
    typeRoots: [join(root, "node_modules/@types")],
  },
  root,
);
const program = ts.createProgram([...entries.values(), ...blockFiles], options);
const checker = program.getTypeChecker();

function exportsOf(specifier: string): Set<string> {
  const file = entries.get(specifier);
  assert.ok(file, `${specifier} is an entry point`);
  const source = program.getSourceFile(file);
  assert.ok(source, file);
  const symbol = checker.getSymbolAtLocation(source);
  assert.ok(symbol, file);
  return new Set(checker.getExportsOfModule(symbol).map((s) => s.name));
}

test("every package README names every export of the package", () => {
  const missing: string[] = [];
  for (const dir of COMPLETE) {
    const readme = readFileSync(join(root, "packages", dir, "README.md"), "utf8");
    for (const specifier of entries.keys()) {
      if (
        !specifier.startsWith(`@sigil/${dir}`) ||
        (specifier.length > `@sigil/${dir}`.length && specifier[`@sigil/${dir}`.length] !== "/")
      )
        continue;
      if (specifier !== `@sigil/${dir}`)
        assert.ok(readme.includes(specifier), `packages/${dir}/README.md names ${specifier}`);
      for (const name of exportsOf(specifier)) {
        if (!new RegExp(`\`[^\`\\n]*\\b${name}\\b[^\`\\n]*\``).test(readme)) missing.push(`${specifier}: ${name}`);
      }
    }
  }
  assert.deepEqual(missing, [], "exports the package READMEs do not name (in `code`)");
});

test("every Sigil import in a README's code names an export that exists", () => {
  const wrong: string[] = [];
  for (const readme of readmes) {
    for (const block of blocksOf(readme)) {
      if (!["ts", "js", "html"].includes(block.lang)) continue;
      for (const match of block.code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"(@sigil\/[^"]+)"/g)) {
        const specifier = match[2] as string;
        if (!entries.has(specifier)) {
          wrong.push(`${readme}:${block.line}: ${specifier} is not an export`);
          continue;
        }
        const exported = exportsOf(specifier);
        for (const part of (match[1] as string).split(",")) {
          const name = part
            .trim()
            .replace(/^type\s+/, "")
            .split(/\s+as\s+/)[0];
          if (name !== undefined && name !== "" && !exported.has(name)) {
            wrong.push(`${readme}:${block.line}: ${name} is not exported by ${specifier}`);
          }
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test("the package READMEs' TypeScript examples type-check against the workspace", () => {
  assert.ok(tsBlocks.length >= 8, `found the examples (${tsBlocks.length})`);
  const errors: string[] = [];
  tsBlocks.forEach((block, i) => {
    const source = program.getSourceFile(blockFiles[i] as string);
    for (const diagnostic of ts.getPreEmitDiagnostics(program, source)) {
      const { line } = diagnostic.file?.getLineAndCharacterOfPosition(diagnostic.start ?? 0) ?? { line: 0 };
      errors.push(
        `${block.readme}:${block.line + 1 + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`,
      );
    }
  });
  assert.deepEqual(errors, []);
});

test("the examples marked to run, run", () => {
  const tsx = import.meta.resolve("tsx");
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const runnable = tsBlocks.map((block, i) => ({ block, file: blockFiles[i] as string })).filter((b) => b.block.runs);
  assert.deepEqual([...new Set(runnable.map((r) => r.block.readme))].sort(), [
    "packages/cli/README.md",
    "packages/jwt/README.md",
    "packages/protocol/README.md",
    "packages/server/README.md",
  ]);
  for (const { block, file } of runnable) {
    const result = spawnSync(process.execPath, ["--conditions=sigil-source", "--import", tsx, file], {
      cwd: scratch,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.equal(result.status, 0, `${block.readme}:${block.line}:\n${result.stdout}\n${result.stderr}`);
  }
});

/** Property names of an options type, nested objects as "parent.child". */
function optionNames(type: ts.Type, prefix = ""): string[] {
  const names: string[] = [];
  for (const property of type.getProperties()) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    assert.ok(declaration);
    const propertyType = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(property, declaration));
    const name = `${prefix}${property.name}`;
    names.push(name);
    const objects = (propertyType.isUnion() ? propertyType.types : [propertyType]).filter(
      (t) => t.getFlags() & ts.TypeFlags.Object && t.getCallSignatures().length === 0 && !checker.isArrayLikeType(t),
    );
    const nested = objects.length === 1 && !/Key|Set|Logger/.test(checker.typeToString(objects[0] as ts.Type));
    if (nested) names.push(...optionNames(objects[0] as ts.Type, `${name}.`));
  }
  return names;
}

test("the verifier's README documents every option of createAccessTokenVerifier, revocation's included", () => {
  const source = program.getSourceFile(join(root, "packages/verifier/src/verifier-types.ts"));
  assert.ok(source);
  const declaration = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "AccessTokenVerifierOptions",
  );
  assert.ok(declaration);
  const names = optionNames(checker.getTypeAtLocation(declaration));
  for (const expected of [
    "revocation.onStale",
    "revocation.introspection.cacheMs",
    "jwks.cooldownMs",
    "cache.maxEntries",
  ]) {
    assert.ok(names.includes(expected), `found ${expected}`);
  }
  const readme = readFileSync(join(root, "packages/verifier/README.md"), "utf8");
  const undocumented = names.filter((name) => {
    const leaf = name.split(".").at(-1) as string;
    const nested = name.split(".").slice(1).join(".");
    const named = [name, nested, leaf].some((n) => n !== "" && readme.includes(`\`${n}\``));
    // A nested object is named through its members: `introspection.endpoint`.
    return !named && !readme.includes(`{ ${leaf} }`) && !(nested !== "" && readme.includes(`\`${nested}.`));
  });
  assert.deepEqual(undocumented, [], "options the verifier's README does not name");
  for (const section of ["fail-closed", "introspect", "staleAfterMs", "revocation mirror is STALE", "fresh again"]) {
    assert.ok(readme.includes(section), `the staleness policy: ${section}`);
  }
});

test("relative links in the READMEs lead to files, and the READMEs link the package pages", () => {
  const broken: string[] = [];
  for (const readme of readmes) {
    const text = readFileSync(join(root, readme), "utf8");
    for (const match of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      const target = match[1] as string;
      if (/^[a-z]+:/.test(target)) continue;
      if (!existsSync(resolve(dirname(join(root, readme)), target))) broken.push(`${readme}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
  const rootReadme = readFileSync(join(root, "README.md"), "utf8");
  for (const dir of packageDirs) {
    assert.ok(rootReadme.includes(`](packages/${dir}/README.md)`), `README.md links packages/${dir}/README.md`);
  }
  const sso = readFileSync(join(root, "examples/sso/README.md"), "utf8");
  assert.ok(sso.includes("](../../packages/verifier/README.md)"), "examples/sso links the verifier's page");
});
