/**
 * Reciprocal rank fusion: combines several rankings of the same items without comparing
 * their raw scores (BM25 and fuse.js scores live on different scales).
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
