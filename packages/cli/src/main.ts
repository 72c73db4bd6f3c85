/** Entry point of the `sigil` command. Returns the process exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stdout.write(`sigil: ${argv.join(" ")}\n`);
  return 0;
}
