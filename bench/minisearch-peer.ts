/**
 * The alternative a Node developer would reach for: MiniSearch over the same guides, the same
 * fields and field weights as this engine (search/corpus.ts), with Vietnamese accent folding
 * (so "can cuoc" finds "căn cước"), and typo tolerance as its documentation suggests (fuzzy 0.2
 * and prefix search), kept to words of five letters or more: most Vietnamese syllables are
 * shorter, and fuzzy matching them finds nearly every guide (p50 200 ms instead of 47 ms at
 * 5,000 guides, measured). It answers with its best hit; it has no notion of "I don't know".
 * Used by `npm run bench` and by the telegraf peer of `npm run bench:load`; never by the bot.
 */
import MiniSearch from 'minisearch';
import type { Guide } from '../src/core/guide.ts';
import type { GuideIndex, SearchResult } from '../src/core/ports.ts';
import { FIELDS, guideTexts } from '../src/search/corpus.ts';

/** Lower case, without diacritics, đ as d: how a citizen without a Vietnamese keyboard writes. */
export function foldVietnamese(term: string): string {
  return term.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd');
}

/** MiniSearch's settings for the peer (the field boosts are the engine's field weights). */
export const MINISEARCH_SEARCH_OPTIONS = {
  boost: Object.fromEntries(FIELDS.map((f) => [f.name, f.weight])),
  fuzzy: (term: string) => (term.length > 4 ? 0.2 : false),
  prefix: (term: string) => term.length > 4,
};

/** Builds the peer over `guides`. */
export function buildMiniSearchIndex(guides: readonly Guide[]): GuideIndex {
  // MiniSearch asks for each field of a guide in turn: its texts are split into fields once.
  let last: { guide: Guide; texts: string[][] } | undefined;
  const textsOf = (g: Guide) => (last?.guide === g ? last.texts : (last = { guide: g, texts: guideTexts(g) }).texts);
  const mini = new MiniSearch<Guide>({
    idField: 'id',
    fields: FIELDS.map((f) => f.name),
    extractField: (g, field) => {
      if (field === 'id') return g.id;
      const at = FIELDS.findIndex((f) => f.name === field);
      return textsOf(g)[at]!.filter(Boolean).join('\n');
    },
    processTerm: (term) => foldVietnamese(term),
    searchOptions: MINISEARCH_SEARCH_OPTIONS,
  });
  mini.addAll(guides);
  return {
    size: guides.length,
    search(query: string): SearchResult {
      const hits = mini.search(query).slice(0, 3);
      const best = hits[0];
      return {
        decision: best ? 'answer' : 'fallback',
        guides: hits.map((h) => ({ id: String(h.id), score: h.score })),
        confidence: best ? 1 : 0,
        normalized: foldVietnamese(query),
      };
    },
  };
}
