// Types of scripts/client-size.mjs, for the test that enforces the budget through `npm test`.

/** The budget in bytes of min+gzip; a bundle at or above it fails. */
export declare const CLIENT_SIZE_BUDGET: number;

export interface ClientBundleSize {
  entry: string;
  minifiedBytes: number;
  gzipBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
  /** The minified bundle itself. */
  code: string;
}

/** packages/client/src/index.ts bundled by esbuild into one minified ES module for browsers. */
export declare function bundleClient(): Promise<string>;

/** Bundles packages/client/src/index.ts with esbuild (minified, ESM, browser) and gzips it. */
export declare function measureClientBundle(): Promise<ClientBundleSize>;
