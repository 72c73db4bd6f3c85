// Order statistics for benchmark samples. A shared, noisy machine produces outliers in
// both directions (a neighbour's burst, a GC pause), so we summarise with the median and
// report the spread instead of a mean and a standard deviation that one outlier drags.

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new RangeError("no samples");
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite sample: ${value}`);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The q-quantile (0 <= q <= 1) with linear interpolation between closest ranks
 * (the "R-7" definition, as in NumPy's default and spreadsheets).
 */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile out of range: ${q}`);
  const s = sorted(values);
  const position = (s.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = s[lower]!;
  const high = s[upper]!;
  return low + (high - low) * (position - lower);
}

/** The median: the middle sample, or the mean of the two middle samples. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** (max - min) as a percentage of the median: how far apart the samples of one case landed. */
export function spreadPct(values: readonly number[]): number {
  const s = sorted(values);
  const mid = median(s);
  if (mid === 0) return 0;
  return ((s[s.length - 1]! - s[0]!) / mid) * 100;
}

/** The interquartile range as a percentage of the median; steadier than spreadPct for many samples. */
export function iqrPct(values: readonly number[]): number {
  const mid = median(values);
  if (mid === 0) return 0;
  return ((quantile(values, 0.75) - quantile(values, 0.25)) / mid) * 100;
}

/** A one-line summary of a case's samples (ops per second). */
export interface SampleSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly spreadPct: number;
  readonly iqrPct: number;
  readonly count: number;
}

export function summarize(values: readonly number[]): SampleSummary {
  const s = sorted(values);
  return {
    median: median(s),
    min: s[0]!,
    max: s[s.length - 1]!,
    spreadPct: spreadPct(s),
    iqrPct: iqrPct(s),
    count: s.length,
  };
}

/**
 * The median over i of numerator[i] / denominator[i], for samples taken in the same rounds.
 * Pairing cancels whatever slowed a whole round (a neighbour's burst), which the ratio of two
 * medians does not; on a shared machine it is the steadier estimate of a relative cost.
 */
export function pairedRatio(numerator: readonly number[], denominator: readonly number[]): number {
  if (numerator.length !== denominator.length) throw new RangeError("paired samples differ in count");
  return median(numerator.map((value, i) => value / denominator[i]!));
}
