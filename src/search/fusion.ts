/**
 * Fusing the signals that rank candidates. Two ways: reciprocal rank fusion (ranks only), and
 * a weighted sum of signals each scaled to 0..1. The index uses the weighted sum by default:
 * with five candidates, RRF turns a 64-vs-47 BM25 lead into one rank step, and a single vote from
 * a weak signal (one fuzzy keyword hit) then flips a clear winner (measured: dev top-1 94.3 %
 * with RRF, 95.9 % with the weighted sum, own set 97.6 % vs 98.4 %).
 */

/** The usual RRF damping constant; smaller values favour the top ranks more. */
export const RRF_K = 60;

/**
 * Fuses rankings. `rankings[i]` lists item keys best first; `weights[i]` scales list i
 * (default 1). Returns a map key → fused score (higher is better).
 */
export function reciprocalRankFusion(
  rankings: readonly (readonly number[])[],
  weights: readonly number[] = [],
  k: number = RRF_K,
): Map<number, number> {
  const out = new Map<number, number>();
  rankings.forEach((list, i) => {
    const w = weights[i] ?? 1;
    list.forEach((key, rank) => out.set(key, (out.get(key) ?? 0) + w / (k + rank + 1)));
  });
  return out;
}

/** Orders `items` by descending value of `value`, ties kept in input order. */
export function rankBy<T>(items: readonly T[], value: (t: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i, v: value(item) }))
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .map((x) => x.item);
}

/** Signals of one candidate, each already in 0..1. */
export type Signals = readonly number[];

/** Weighted sum of 0..1 signals (weights need not sum to 1). */
export function weightedFusion(signals: Signals, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < signals.length; i++) sum += (weights[i] ?? 0) * signals[i]!;
  return sum;
}
