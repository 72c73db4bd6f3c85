// Turns a contender's sign/verify functions into timed cases, after proving that they work:
// a verifier that silently fails (or accepts anything) would be the fastest and worthless.

import assert from "node:assert/strict";
import type { BenchCase } from "../lib/sampler.js";
import type { CacheMode, Contender, PreparedVerifier, SignFunction } from "./contenders/contender.js";
import { type AlgFixture, BENCH_SUBJECT } from "./fixtures.js";

/** Results land here so the optimiser cannot drop calls whose value looks unused. */
export const sink: { value: unknown } = { value: undefined };

export type Operation = "sign" | "verify";

/** Performs n operations; async when the implementation is. */
export type BatchRunner = (iterations: number) => void | Promise<void>;

export interface PreparedCase extends BenchCase {
  readonly alg: AlgFixture["alg"];
  readonly op: Operation;
  readonly cache: CacheMode;
  readonly contender: Contender;
}

async function settle(fn: () => unknown): Promise<unknown> {
  return await fn();
}

async function assertRejects(verify: (token: string) => unknown, token: string, what: string): Promise<void> {
  let accepted = false;
  try {
    await settle(() => verify(token));
    accepted = true;
  } catch {
    // expected
  }
  if (accepted) throw new Error(`accepted a token with ${what}`);
}

/** Proves the verifier accepts the fixture's tokens and rejects the bad ones; returns whether it is async. */
export async function validateVerifier(prepared: PreparedVerifier, fixture: AlgFixture): Promise<boolean> {
  const first = prepared.verify(fixture.tokens[0]!);
  const isAsync = first instanceof Promise;
  for (const result of [await first, await settle(() => prepared.verify(fixture.tokens.at(-1)!))]) {
    assert.equal(prepared.subjectOf(result), BENCH_SUBJECT, "verified result has the wrong sub");
  }
  await assertRejects(prepared.verify, fixture.expired, "an exp in the past");
  await assertRejects(prepared.verify, fixture.tampered, "a flipped signature bit");
  await assertRejects(prepared.verify, fixture.disallowedAlg, "an alg outside the allow-list");
  return isAsync;
}

/** Proves the signer's output verifies (with the raw verifier) and carries the claims; returns whether it is async. */
export async function validateSigner(
  sign: SignFunction,
  check: PreparedVerifier,
  fixture: AlgFixture,
): Promise<boolean> {
  const first = sign();
  const token = await first;
  assert.equal(typeof token, "string", "signer did not return a string");
  const claims = check.verify(token as string) as Record<string, unknown>;
  assert.equal(claims["sub"], BENCH_SUBJECT, "signed token has the wrong sub");
  assert.equal(typeof claims["exp"], "number", "signed token has no exp");
  assert.equal(typeof claims["iat"], "number", "signed token has no iat");
  const header = JSON.parse(Buffer.from((token as string).split(".")[0]!, "base64url").toString()) as {
    kid?: unknown;
  };
  assert.equal(header.kid, fixture.kid, "signed token has the wrong kid");
  return first instanceof Promise;
}

const BEARER = "Bearer ";

/**
 * A batch runner that cycles through `tokens` (one token = always the same token). Each call
 * gets a fresh string sliced out of an Authorization header value, as in a server: reusing one
 * string object would let a Map-keyed cache ride on V8's per-string hash cache and report a
 * hit cost no request ever sees. Every implementation pays the same slice.
 */
export function verifyLoop(
  verify: (token: string) => unknown,
  tokens: readonly string[],
  isAsync: boolean,
): BatchRunner {
  // Flat (sequential) strings, like the ones node's HTTP parser hands out.
  const headers = tokens.map((token) => Buffer.from(BEARER + token, "latin1").toString("latin1"));
  const count = headers.length;
  const start = BEARER.length;
  let i = 0;
  if (isAsync) {
    return async (iterations: number): Promise<void> => {
      let last: unknown;
      for (let n = 0; n < iterations; n++) {
        last = await verify(headers[i]!.slice(start));
        if (++i === count) i = 0;
      }
      sink.value = last;
    };
  }
  return (iterations: number): void => {
    let last: unknown;
    for (let n = 0; n < iterations; n++) {
      last = verify(headers[i]!.slice(start));
      if (++i === count) i = 0;
    }
    sink.value = last;
  };
}

export function signLoop(sign: SignFunction, isAsync: boolean): BatchRunner {
  if (isAsync) {
    return async (iterations: number): Promise<void> => {
      let last: unknown;
      for (let n = 0; n < iterations; n++) last = await sign();
      sink.value = last;
    };
  }
  return (iterations: number): void => {
    let last: unknown;
    for (let n = 0; n < iterations; n++) last = sign();
    sink.value = last;
  };
}
