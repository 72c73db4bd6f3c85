#!/usr/bin/env node
// CommonJS on purpose (bin/package.json says so): see below.
"use strict";

const { availableParallelism } = require("node:os");

// Password hashing (argon2id, bcrypt) runs on libuv's thread pool, which it shares with file
// system, DNS and zlib work. The auth server hashes on at most UV_THREADPOOL_SIZE - 1 threads so
// that one always stays free; with libuv's default of 4 that would be 3 hashes at once however
// many cores there are. libuv reads the variable once, when the pool starts, so it must be set
// before anything uses the pool. Node's ESM loader reads an ES-module entry file with an
// asynchronous readFile — on the pool — before the file's first line runs, so an ESM bin would be
// too late; a CommonJS entry is read synchronously. The CLI itself (ESM) is loaded only after
// this line, by a dynamic import. An operator's own UV_THREADPOOL_SIZE is kept.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism() + 2));

// The compiled CLI lives in dist/ (built by `npm install` through the root `prepare` script).
import("../dist/main.js").then(
  async ({ main }) => {
    process.exitCode = await main(process.argv.slice(2));
  },
  (error) => {
    process.stderr.write(
      `sigil: error: cannot load the CLI (${error.message.split("\n")[0]}); run \`npm run build\`\n`,
    );
    process.exitCode = 1;
  },
);
