import type { CandidateKey } from "../jws/key-selection.js";
import type { JWSHeader } from "../types.js";

/** A protected header that passed the verifier's header checks, and the keys it selects. */
export interface HeaderEntry {
  /** The header segment exactly as it appears in tokens. */
  readonly segment: string;
  /** Parsed and frozen: shared by every token that carries this header. */
  readonly header: JWSHeader;
  readonly alg: string;
  readonly kid: string | undefined;
  /** The key set version `candidates` was computed for; NaN until computed. */
  keysVersion: number;
  candidates: readonly CandidateKey[];
}

const SIZE = 16;

/**
 * The few distinct headers a verifier sees (one per issuer key) are parsed and checked once.
 * A header is a pure function of its segment, so this cache cannot change any verdict; it saves
 * the header's base64 decode and JSON.parse on the hot path. Lookup compares the segment length
 * with the first dot's position, then `startsWith` — no string slicing or hashing per token.
 * Bounded: a flood of distinct headers just rotates through the slots.
 */
export class HeaderCache {
  readonly #entries: HeaderEntry[] = [];
  #next = 0;

  /** The entry whose segment is `token`'s first `length` characters. */
  find(token: string, length: number): HeaderEntry | undefined {
    const entries = this.#entries;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry.segment.length === length && token.startsWith(entry.segment)) return entry;
    }
    return undefined;
  }

  add(entry: HeaderEntry): void {
    if (this.#entries.length < SIZE) this.#entries.push(entry);
    else {
      this.#entries[this.#next] = entry;
      this.#next = (this.#next + 1) % SIZE;
    }
  }
}
