/**
 * Synthetic guides for benchmarks: many guides made from the real ones (mixed keywords, sample
 * questions and titles), so the vocabulary and field lengths look like real content at scale.
 * Deterministic (seeded), pure.
 */
import type { Guide } from '../core/guide.ts';

/** A small, fast, seeded PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)]!;
}

/**
 * `count` guides derived from `base` (which must not be empty): guide i is base[i mod n] with
 * keywords and sample questions partly swapped for other guides' and a few words of another
 * guide's title appended, so no two guides are identical. Ids are `<base id>-s<i>`.
 */
export function syntheticGuides(base: readonly Guide[], count: number, seed = 42): Guide[] {
  if (base.length === 0) throw new RangeError('syntheticGuides needs at least one base guide');
  const rnd = seededRandom(seed);
  const out: Guide[] = [];
  for (let i = 0; i < count; i++) {
    const g = base[i % base.length]!;
    const other = pick(rnd, base);
    const third = pick(rnd, base);
    const titleWords = other.title.split(' ');
    const start = Math.floor(rnd() * Math.max(1, titleWords.length - 3));
    const extra = titleWords.slice(start, start + 2 + Math.floor(rnd() * 3)).join(' ');
    out.push({
      ...g,
      id: `${g.id}-s${i}`,
      title: `${g.title} ${extra}`,
      keywords: [...g.keywords.filter(() => rnd() < 0.7), pick(rnd, other.keywords), pick(rnd, third.keywords)],
      questions: [...g.questions.filter(() => rnd() < 0.7), pick(rnd, other.questions)],
      summary: rnd() < 0.5 ? g.summary : `${g.summary} ${pick(rnd, other.questions)}`,
    });
  }
  return out;
}
