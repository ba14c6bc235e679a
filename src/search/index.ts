/**
 * The guide index: Vietnamese-aware normalisation, BM25 over syllables and syllable pairs,
 * fuse.js over the shortlist's short fields, rank fusion, and an evidence-based decision.
 * Pure and synchronous; everything heavy is precomputed by `buildGuideIndex`.
 */
import type { ContentBundle } from '../core/content.ts';
import type { GuideIndex, SearchContext, SearchResult } from '../core/ports.ts';
import { explainMessage, withSubject, type SearchExplanation } from './explain.ts';
import { buildIndexParts, indexPartsSteps, type GuideIndexOptions, type IndexableContent, type IndexParts } from './index-parts.ts';
import type { IndexMemory } from './index-memory.ts';
import { runStepsSliced, type Pacer } from './steps.ts';
import { openGuideFit } from './open-guide.ts';
import { withReportForm } from './report-form.ts';

export { SCAM_GUIDE_ID, type GuideIndexOptions, type IndexableContent } from './index-parts.ts';
export type { SearchExplanation } from './explain.ts';
export { IndexMemory, type ReadStats } from './index-memory.ts';
export type { Pacer } from './steps.ts';

/** A built index: the `GuideIndex` port plus introspection. */
export interface BuiltGuideIndex extends GuideIndex {
  /** Like `search`, with the analysed query and the scored candidates. */
  explain(query: string): SearchExplanation;
}

/**
 * Builds the index over a content snapshot. Throws only on programming errors (never on
 * content); an empty guide list gives an index that always falls back. `memory`: what the last
 * build over the same memory kept of its guides (index-memory.ts), so that only the guides
 * changed since are read; the index is the same as without it.
 */
export function buildGuideIndex(bundle: IndexableContent, options: GuideIndexOptions = {}, memory?: IndexMemory): BuiltGuideIndex {
  return indexOver(buildIndexParts(bundle, options, memory));
}

/**
 * {@link buildGuideIndex} in slices: the same build (the same code, step by step), pausing
 * through `pacer` whenever a slice has run `pacer.sliceMs`, so that the event loop keeps
 * serving while a reload builds the next index. Resolves the built index. With `memory`, a
 * reload that changed a few guides reads only those (see {@link buildGuideIndex}).
 */
export async function buildGuideIndexSliced(bundle: IndexableContent, pacer: Pacer, options: GuideIndexOptions = {}, memory?: IndexMemory): Promise<BuiltGuideIndex> {
  return indexOver(await runStepsSliced(indexPartsSteps(bundle, options, memory), pacer));
}

/** The index port over built parts. */
function indexOver(parts: IndexParts): BuiltGuideIndex {
  return {
    size: parts.guides.length,
    explain: (text: string) => explainMessage(parts, text),
    search(text: string, context?: SearchContext): SearchResult {
      try {
        const first = explainMessage(parts, text);
        const result = context?.subject ? withSubject(parts, text, first, context.subject) : first.result;
        const open = context?.openGuide ? openGuideFit(parts, text, first.query, first.candidates, context.openGuide) : undefined;
        // What reports keep is masked before it is normalised.
        return withReportForm(parts, text, open ? { ...result, open } : result);
      } catch {
        // The port promises never to throw: a bug here must not take a conversation down.
        return { decision: 'fallback', guides: [], confidence: 0, normalized: '' };
      }
    },
  };
}

/** A sample question that does not rank its own guide first. */
export interface SelfRetrievalMiss {
  readonly guideId: string;
  readonly question: string;
  /** The guide that ranked first instead (absent when nothing matched). */
  readonly got?: string;
  /** Declined because it names a `not-covered` topic of intents.yaml (whatever ranked first). */
  readonly notCovered?: true;
}

/**
 * Self-retrieval check for content:check: every `questions` entry of every guide must rank
 * that guide first. Returns the ones that do not (empty when all pass).
 */
export function selfRetrievalCheck(bundle: Pick<ContentBundle, 'guideList'>, index: GuideIndex): SelfRetrievalMiss[] {
  const misses: SelfRetrievalMiss[] = [];
  for (const g of bundle.guideList) {
    for (const question of g.questions) {
      const result = index.search(question);
      const top = result.guides[0]?.id;
      if (result.intent === 'not-covered') misses.push({ guideId: g.id, question, notCovered: true });
      else if (top !== g.id) misses.push(top ? { guideId: g.id, question, got: top } : { guideId: g.id, question });
    }
  }
  return misses;
}

export type { DecisionThresholds, ScoredCandidate } from './decide.ts';
