// Sigil (@sigil/jwt). Loaded dynamically and checked at run time so the harness still runs
// (and reports Sigil as missing) while the engine is being written or if its exports change.

import type { KeyObject } from "node:crypto";
import type { BenchAlgorithm } from "../fixtures.js";
import { type Contender, subjectOfPayloadField } from "./contender.js";

interface SigilKey {
  readonly kid: string;
  readonly alg: BenchAlgorithm;
  readonly key: KeyObject;
}

/** The slice of the @sigil/jwt API the benchmark uses. */
export interface SigilAPI {
  signJWT(payload: Record<string, unknown>, key: SigilKey, options: { expiresIn: number }): unknown;
  createVerifier(options: {
    algorithms: readonly BenchAlgorithm[];
    keys: readonly SigilKey[];
    cache: false | { maxEntries: number };
  }): (token: string) => unknown;
}

/** Imports @sigil/jwt; returns the reason instead of throwing when it cannot be used yet. */
export async function loadSigil(): Promise<SigilAPI | string> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import("@sigil/jwt")) as unknown as Record<string, unknown>;
  } catch (error) {
    return `@sigil/jwt failed to load: ${(error as Error).message.split("\n")[0]}`;
  }
  const missing = ["signJWT", "createVerifier"].filter((name) => typeof mod[name] !== "function");
  if (missing.length > 0) return `@sigil/jwt does not export ${missing.join(", ")} yet`;
  return mod as unknown as SigilAPI;
}

export function sigilContender(api: SigilAPI): Contender {
  return {
    name: "sigil",
    role: "sigil",
    keyForm: "KeyObject",
    cacheModes: ["off", "hit", "miss"],
    unsupported: () => undefined,
    async createSigner(fixture) {
      const key: SigilKey = { kid: fixture.kid, alg: fixture.alg, key: fixture.signingKey };
      const { claims } = fixture;
      const options = { expiresIn: 3600 };
      return () => api.signJWT(claims, key, options);
    },
    async createVerifier(fixture, cache, cacheSize) {
      const verify = api.createVerifier({
        algorithms: [fixture.alg],
        keys: [{ kid: fixture.kid, alg: fixture.alg, key: fixture.verificationKey }],
        cache: cache === "off" ? false : { maxEntries: cacheSize },
      });
      return { verify, subjectOf: subjectOfPayloadField };
    },
  };
}
