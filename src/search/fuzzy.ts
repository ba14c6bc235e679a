/**
 * fuse.js where it is strong: fuzzy matching of a guide's short fields (title, keywords,
 * sample questions). It runs only on the BM25 shortlist, one small Fuse per guide, so its cost
 * does not grow with the number of guides. Each per-guide Fuse is built on first use.
 */
import Fuse, { type IFuseOptions } from 'fuse.js';
import type { Guide } from '../core/guide.ts';
import { foldText } from './normalize.ts';

interface ShortFields {
  readonly t: string;
  readonly k: readonly string[];
  readonly q: readonly string[];
}

const FUSE_OPTIONS: IFuseOptions<ShortFields> = {
  keys: [
    { name: 't', weight: 3 },
    { name: 'k', weight: 3 },
    { name: 'q', weight: 1 },
  ],
  useTokenSearch: true,
  includeScore: true,
  ignoreLocation: true,
  threshold: 0.34,
  ignoreDiacritics: false, // texts are folded already (đ → d, which fuse.js would not do)
};

/** Fuzzy scorer over the short fields of each guide. */
export class ShortFieldMatcher {
  private readonly fuses: (Fuse<ShortFields> | undefined)[];

  constructor(private readonly guides: readonly Guide[]) {
    this.fuses = new Array<Fuse<ShortFields> | undefined>(guides.length);
  }

  private fuseOf(doc: number): Fuse<ShortFields> {
    let f = this.fuses[doc];
    if (!f) {
      const g = this.guides[doc]!;
      const rec: ShortFields = {
        t: foldText(g.title) + ' ' + foldText(g.en.title),
        k: g.keywords.map(foldText),
        q: g.questions.map(foldText),
      };
      f = new Fuse([rec], FUSE_OPTIONS);
      this.fuses[doc] = f;
    }
    return f;
  }

  /** Builds every guide's Fuse now (instead of on first use). */
  warm(): void {
    for (let d = 0; d < this.guides.length; d++) this.fuseOf(d);
  }

  /**
   * 0..1: how well the folded query words fuzzily match the guide's short fields
   * (1 = every word found exactly). 0 when nothing matches.
   */
  score(doc: number, foldedQuery: string): number {
    if (!foldedQuery) return 0;
    const r = this.fuseOf(doc).search(foldedQuery, { limit: 1 })[0];
    return r ? 1 - (r.score ?? 1) : 0;
  }
}
