// Runs the CLI on the real process (what bin/sigil.js does with the built dist/). Used to run
// sigil from the TypeScript sources: node --conditions=sigil-source --import tsx packages/cli/src/run.ts
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2));
