import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import type { Database } from "../store/database.js";
import { MIGRATIONS_DIR, migrate } from "../store/migrate.js";
import { wrapPGlite } from "../store/pglite.js";

/** What PGlite needs to start, read and compiled once per process. */
type Engine = Required<Pick<PGliteOptions, "pgliteWasmModule" | "initdbWasmModule" | "fsBundle">>;
type WasmModule = Engine["pgliteWasmModule"];

/** The global WebAssembly namespace (not in this project's TypeScript libraries). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } })
  .WebAssembly;

const PGLITE_ENTRY = import.meta.resolve("@electric-sql/pglite");
let engine: Promise<Engine> | undefined;
const templates = new Map<string, Promise<Blob>>();

function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const read = (name: string): Promise<Buffer> => readFile(new URL(name, PGLITE_ENTRY));
    const [pglite, initdb, bundle] = await Promise.all([read("pglite.wasm"), read("initdb.wasm"), read("pglite.data")]);
    return {
      pgliteWasmModule: await wasm.compile(pglite),
      initdbWasmModule: await wasm.compile(initdb),
      fsBundle: new Blob([new Uint8Array(bundle)]),
    };
  })();
  return engine;
}

/**
 * The template's file name: PGlite's version and, for a migrated one, every migration's name
 * and content. A changed migration or another PGlite makes a new template, never a stale one.
 */
function templateName(migrated: boolean): string {
  const hash = createHash("sha256");
  const { version } = JSON.parse(readFileSync(new URL("../package.json", PGLITE_ENTRY), "utf8")) as {
    version: string;
  };
  hash.update(`pglite ${version}\n`);
  if (migrated) {
    for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
      hash.update(`${file}\n`).update(readFileSync(join(MIGRATIONS_DIR, file)));
    }
  }
  return `sigil-test-pglite-${migrated ? "migrated" : "empty"}-${hash.digest("hex").slice(0, 16)}.tgz`;
}

/**
 * A dump of a fresh PGlite data directory (initdb's work), migrated or not. Made once and kept
 * in the OS temp directory, so that later test processes start from it instead of running
 * initdb and the migrations again. Written under a temporary name and renamed: a reader never
 * sees half of one.
 */
function template(migrated: boolean): Promise<Blob> {
  const name = templateName(migrated);
  let made = templates.get(name);
  if (made === undefined) {
    made = (async () => {
      const path = join(tmpdir(), name);
      const kept = await readFile(path).catch(() => undefined);
      if (kept !== undefined) return new Blob([kept]);
      const pg = await PGlite.create(await loadEngine());
      const fresh = wrapPGlite(pg, "PGlite template");
      if (migrated) await migrate(fresh);
      // Compressed: ~5 MB instead of ~40, and PGlite unpacks it faster than it copies the plain tar.
      const bytes = Buffer.from(await (await pg.dumpDataDir("gzip")).arrayBuffer());
      await fresh.close();
      const partial = `${path}.${process.pid}.partial`;
      await writeFile(partial, bytes);
      await rename(partial, path);
      return new Blob([bytes]);
    })();
    templates.set(name, made);
  }
  return made;
}

/**
 * A throw-away in-memory PGlite for a test, migrated unless `migrated: false`: the same engine
 * and the same SQL as `SIGIL_DATA_DIR=memory`, but started from a template data directory
 * (see {@link template}) with modules compiled once per process, so it opens in about a second
 * instead of running initdb every time.
 *
 * @example
 * const db = await openTestPGlite();
 * try { … } finally { await db.close(); }
 */
export async function openTestPGlite(options: { migrated?: boolean } = {}): Promise<Database> {
  const loadDataDir = await template(options.migrated !== false);
  return wrapPGlite(await PGlite.create({ ...(await loadEngine()), loadDataDir }), "PGlite (in memory)");
}

/**
 * Fills `dir` (absent or empty) with a migrated PGlite data directory, as the server's first start
 * would leave it minus the keys: for tests of what runs on an existing data directory (the CLI's
 * commands, a restart), which then open it without running initdb. A test of the first start
 * itself must not use it.
 *
 * @example
 * const dataDir = await mkdtemp(join(tmpdir(), "sigil-"));
 * await seedPGliteDataDir(dataDir);
 * await run(["keys", "rotate"], { env: { SIGIL_DATA_DIR: dataDir } });
 */
export async function seedPGliteDataDir(dir: string): Promise<void> {
  const tar = gunzipSync(Buffer.from(await (await template(true)).arrayBuffer()));
  const text = (offset: number, length: number): string => {
    const field = tar.subarray(offset, offset + length);
    const end = field.indexOf(0);
    return field.subarray(0, end === -1 ? length : end).toString("utf8");
  };
  // The ustar entries PGlite writes: directories and regular files, paths relative to the data
  // directory (with a leading "/").
  for (let offset = 0; offset + 512 <= tar.length; ) {
    if (tar.subarray(offset, offset + 512).every((byte) => byte === 0)) break;
    const prefix = text(offset + 345, 155);
    const name = `${prefix === "" ? "" : `${prefix}/`}${text(offset, 100)}`;
    const mode = Number.parseInt(text(offset + 100, 8).trim() || "600", 8);
    const size = Number.parseInt(text(offset + 124, 12).trim() || "0", 8);
    const type = text(offset + 156, 1);
    const parts = name.split("/").filter((part) => part !== "" && part !== ".");
    if (parts.includes("..")) throw new Error(`template entry outside the data directory: ${name}`);
    const path = join(dir, ...parts);
    if (type === "5") await mkdir(path, { recursive: true, mode });
    else if (type === "0" || type === "") {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, tar.subarray(offset + 512, offset + 512 + size), { mode });
    } else throw new Error(`template entry of unexpected type ${JSON.stringify(type)}: ${name}`);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}
