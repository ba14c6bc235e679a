/**
 * The baseline the engine is measured against: plain fuse.js over the guides' title, keywords
 * and sample questions (diacritics ignored), answering with the best hit when it scores well.
 * Used by `npm run eval -- --baseline` and `npm run bench`; not by the bot.
 */
import Fuse from 'fuse.js';
import type { Guide } from '../core/guide.ts';
import type { GuideIndex, SearchResult } from '../core/ports.ts';

/** Fuse score (0 = perfect) under which the baseline answers. */
export const PLAIN_FUSE_ANSWER_SCORE = 0.4;

/** Builds the baseline index. */
export function buildPlainFuseIndex(guides: readonly Guide[]): GuideIndex {
  const fuse = new Fuse([...guides], {
    keys: [
      { name: 'title', weight: 3 },
      { name: 'keywords', weight: 2 },
      { name: 'questions', weight: 1 },
    ],
    includeScore: true,
    ignoreDiacritics: true,
    ignoreLocation: true,
    threshold: 0.6,
  });
  return {
    size: guides.length,
    search(query: string): SearchResult {
      const hits = fuse.search(query, { limit: 3 });
      const guidesOut = hits.map((h) => ({ id: h.item.id, score: 1 - (h.score ?? 1) }));
      const best = hits[0]?.score ?? 1;
      const answer = hits.length > 0 && best <= PLAIN_FUSE_ANSWER_SCORE;
      return {
        decision: answer ? 'answer' : 'fallback',
        guides: guidesOut,
        confidence: Math.round((1 - best) * 1000) / 1000,
        normalized: query,
      };
    },
  };
}
