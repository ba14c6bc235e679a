/**
 * Everything the index precomputes over a content snapshot: the BM25 index over syllables and
 * pairs, the lexicon, typo and keyword tables, the fuzzy matcher, each guide's subjects and
 * numbered words, and the options in force.
 */
import type { ContentBundle } from '../core/content.ts';
import { bm25Steps, type Bm25Index } from './bm25.ts';
import type { PostingsArena } from './postings-arena.ts';
import { ACCENT_PREFIX, FIELDS } from './corpus.ts';
import { DEFAULT_THRESHOLDS, type DecisionThresholds } from './decide.ts';
import { DEFAULT_MODEL, type DecisionModel } from './decision-model.ts';
import { ShortFieldMatcher } from './fuzzy.ts';
import { IndexMemory } from './index-memory.ts';
import { keywordPhrasesOf } from './keywords.ts';
import type { Lexicon } from './lexicon.ts';
import { foldSyllable } from './normalize.ts';
import type { AnalyserContext } from './query-types.ts';
import { Ranker } from './rank.ts';
import { placeNames } from './places.ts';
import { ProblemMatcher } from './problems.ts';
import { ITEMS_PER_STEP, runSteps, type Steps } from './steps.ts';
import { typoIndexSteps } from './typo.ts';

/** The guide every scam report is answered with (when the content has it). */
export const SCAM_GUIDE_ID = 'scam-warning';

/** Tuning options; the defaults are what `npm run eval` measures. */
export interface GuideIndexOptions {
  /** Candidates kept from the first BM25 pass (default 20). */
  readonly shortlist?: number;
  /** Candidates scored by fuse.js (default 5). */
  readonly fuzzyPool?: number;
  /** Decision thresholds (defaults in DEFAULT_THRESHOLDS). */
  readonly thresholds?: Partial<DecisionThresholds>;
  /** The fitted decision model (default: the one `npm run fit` wrote). */
  readonly model?: DecisionModel;
  /** Prepare every guide's fuzzy keyword patterns now rather than on first use (default false). */
  readonly eagerFuzzy?: boolean;
  /**
   * How rankings are fused: weighted sum of 0..1 signals (default) or reciprocal rank fusion.
   * The decision thresholds are measured for the weighted sum.
   */
  readonly fusion?: 'weighted' | 'rrf';
  /** Weights of BM25 (relative to the best), focus, and the fuse.js keyword match. */
  readonly fusionWeights?: readonly [number, number, number];
  /** RRF damping constant when `fusion` is 'rrf' (default 5: few candidates, top ranks matter). */
  readonly rrfK?: number;
  /** Posting arrays kept between builds (postings-arena.ts; the caller commits the index it swaps in). */
  readonly postings?: PostingsArena;
}

/** Content the index needs. */
export type IndexableContent = Pick<ContentBundle, 'guideList' | 'synonyms' | 'intents'> & Partial<Pick<ContentBundle, 'communes'>>;

/** The built parts of one index, read by ranking and deciding. */
export interface IndexParts {
  readonly guides: IndexableContent['guideList'];
  readonly lexicon: Lexicon;
  readonly ctx: AnalyserContext;
  readonly ranker: Ranker;
  readonly matcher: ShortFieldMatcher;
  /** Per guide: the subjects its titles name, and those its titles or keywords mention. */
  readonly subjectsOf: readonly number[];
  readonly mentionsOf: readonly number[];
  /** Per guide: the words its titles number ("mức 2"). */
  readonly numberedOf: readonly Map<string, Set<string>>[];
  readonly shortlistSize: number;
  readonly fuzzyPool: number;
  readonly thresholds: DecisionThresholds;
  readonly model: DecisionModel;
  readonly fusion: 'weighted' | 'rrf';
  readonly fusionWeights: readonly [number, number, number];
  readonly rrfK: number;
  readonly hasScamGuide: boolean;
  /** Guide id → its document number. */
  readonly docOf: ReadonlyMap<string, number>;
  readonly problems: ProblemMatcher;
}

/**
 * Builds the parts over a content snapshot. Throws only on programming errors. With `memory`
 * (kept from the last build), guides unchanged since then are not read again (index-memory.ts).
 */
export function buildIndexParts(bundle: IndexableContent, options: GuideIndexOptions = {}, memory?: IndexMemory): IndexParts {
  return runSteps(indexPartsSteps(bundle, options, memory));
}

/**
 * {@link buildIndexParts} in steps (see steps.ts): it yields after each guide read and every few
 * thousand postings or terms, so a caller can build it in slices between other work.
 */
export function* indexPartsSteps(bundle: IndexableContent, options: GuideIndexOptions = {}, memory = new IndexMemory()): Steps<IndexParts> {
  const guides = bundle.guideList;
  const { lexicon, terms, parts } = yield* memory.read(bundle);
  const index = yield* bm25Steps(FIELDS, terms, parts.map((p) => p.terms), options.postings);
  const vocab = new Map<string, number>();
  let n = 0;
  for (const term of index.terms()) {
    if (/^[a-z0-9]+$/.test(term)) vocab.set(term, index.docFrequency(term));
    if ((++n & (ITEMS_PER_STEP - 1)) === 0) yield;
  }
  const typos = yield* typoIndexSteps(vocab);
  const ctx: AnalyserContext = {
    index,
    lexicon,
    typos,
    ambiguousStops: yield* ambiguousStopWords(index, lexicon),
    keywords: yield* keywordPhrasesOf(parts.map((p) => p.phrases), index),
    places: placeNames(bundle.communes),
  };
  yield;
  const matcher = new ShortFieldMatcher(guides);
  if (options.eagerFuzzy) matcher.warm();
  const problems = new ProblemMatcher(parts.map((p) => p.problems));
  yield;
  return {
    guides,
    lexicon,
    ctx,
    ranker: new Ranker(index, ctx.keywords, FIELDS.reduce((mask, f, i) => (f.credit >= 1 ? mask | (1 << i) : mask), 0)),
    matcher,
    subjectsOf: parts.map((p) => p.subjects),
    mentionsOf: parts.map((p) => p.mentions),
    numberedOf: parts.map((p) => p.numbered),
    shortlistSize: options.shortlist ?? 20,
    fuzzyPool: options.fuzzyPool ?? 5,
    thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds },
    model: options.model ?? DEFAULT_MODEL,
    fusion: options.fusion ?? 'weighted',
    fusionWeights: options.fusionWeights ?? [0.6, 0.4, 0.1],
    rrfK: options.rrfK ?? 5,
    hasScamGuide: guides.some((g) => g.id === SCAM_GUIDE_ID),
    docOf: new Map(guides.map((g, i) => [g.id, i])),
    problems,
  };
}

/** One-word stop words whose folded form the guides also use with other diacritics. */
function* ambiguousStopWords(index: Bm25Index, lexicon: Lexicon): Steps<Set<string>> {
  const out = new Set<string>();
  let n = 0;
  for (const term of index.terms()) {
    if ((++n & (ITEMS_PER_STEP - 1)) === 0) yield;
    if (!term.startsWith(ACCENT_PREFIX)) continue;
    const accented = term.slice(ACCENT_PREFIX.length);
    const folded = foldSyllable(accented);
    const stop = lexicon.stopwords.get([folded]);
    if (stop && !stop.has(accented)) out.add(folded);
  }
  return out;
}
