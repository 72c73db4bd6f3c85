import { createHash } from "node:crypto";

/** A made-up but stable amount for a user, so both services show the same figures on every call. */
export function fakeAmount(sub: string, account: string): number {
  const digest = createHash("sha256").update(`${sub}/${account}`).digest();
  return Math.round(digest.readUInt32BE(0) % 10_000_000) / 100;
}
