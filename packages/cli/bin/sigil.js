#!/usr/bin/env node
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
