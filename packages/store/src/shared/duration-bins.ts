/**
 * Durations in geometric bins: bin `b` holds durations in (1.05^(b-1), 1.05^b] ms (bin 0: ≤ 1 ms). A percentile read
 * from the bins is the upper bound of the bin holding it: never below the exact value, at most 5 % above.
 * Both adapters bin with `durationBin` (`run-bucket-increments.ts`); SQLite's triggers used the same formula in SQL
 * until migration 14.
 */
export const BIN_RATIO = 1.05;

export const durationBin = (ms: number): number => (ms <= 1 ? 0 : Math.ceil(Math.log(ms) / Math.log(BIN_RATIO)));

/** The nearest-rank p95 from bin counts (`rank` is 0-based), as the upper bound of its bin; null when empty. */
export function percentileFromBins(bins: Iterable<{ bin: number; n: number }>, rank: number): number | null {
  const sorted = [...bins].filter((b) => b.n > 0).sort((a, b) => a.bin - b.bin);
  let seen = 0;
  for (const { bin, n } of sorted) {
    seen += n;
    if (seen > rank) return bin === 0 ? 1 : Math.round(BIN_RATIO ** bin);
  }
  return null;
}
