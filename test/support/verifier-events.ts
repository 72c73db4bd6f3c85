// Waiting for what a verifier on the revocation feed has heard, in the browser tests.
import assert from "node:assert/strict";
import type { AccessTokenVerifier } from "@sigil/verifier";

/**
 * Waits until `condition` holds, checking after each turn of the event loop (a feed event reaches
 * the verifier through its socket, so a few turns after the server committed it). Bounded in
 * turns, never in time.
 */
export async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 1_000_000; turn++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`never: ${what}`);
}

/** Whether the verifier refuses the token now (synchronously, from its keys and revocation mirror). */
export function refuses(verifier: AccessTokenVerifier, token: string): boolean {
  try {
    verifier.verify(token);
    return false;
  } catch {
    return true;
  }
}
