/**
 * The decision for one message: answer, clarify, fallback, or an intent. Confidence is built
 * from evidence, not from one raw score: how much of the query's content the best guide covers
 * (weighted by how telling each word is), whether it is found in the curated short fields or as
 * adjacent pairs, and how far ahead of the runner-up the best guide is.
 */
import type { Decision } from '../core/ports.ts';

/** A candidate with everything the decision looks at. */
export interface ScoredCandidate {
  readonly id: string;
  /** Exact BM25 score. */
  readonly score: number;
  /** Fused rank score (RRF); the final order. */
  readonly fused: number;
  readonly coverage: number;
  readonly focus: number;
  readonly linkHits: number;
  /** Weight of the best keyword phrase of the guide found in the question (0: none). */
  readonly keyword: number;
  /** 0..1 fuzzy match of the short fields (fuse.js). */
  readonly fuzzy: number;
}

/** The knobs of the decision (defaults in DEFAULT_THRESHOLDS). */
export interface DecisionThresholds {
  /** Below this coverage of content words, nothing fits: fallback. */
  readonly minCoverage: number;
  /** Evidence needed to answer without asking. */
  readonly answerEvidence: number;
  /** Runner-up within this ratio of the best score: ask which one was meant. */
  readonly closeRatio: number;
  /** Most candidates offered when clarifying. */
  readonly maxClarify: number;
}

/** Defaults, measured with `npm run eval` on the repo's own question set. */
export const DEFAULT_THRESHOLDS: DecisionThresholds = {
  minCoverage: 0.5,
  answerEvidence: 0.6,
  closeRatio: 0.8,
  maxClarify: 3,
};

/** Evidence 0..1 that a candidate is what the citizen means. */
export function evidence(c: ScoredCandidate): number {
  return 0.6 * c.coverage + 0.25 * c.focus + 0.15 * c.fuzzy;
}

/** The decision over ranked candidates (best first) of a message that is a question. */
export interface QuestionDecision {
  readonly decision: Extract<Decision, 'answer' | 'clarify' | 'fallback'>;
  readonly confidence: number;
  /** How many of the candidates to show (answer: up to 3 for "related"; clarify: 2–3). */
  readonly show: number;
}

/** Decides for a guide question. Pure. */
export function decideQuestion(
  ranked: readonly ScoredCandidate[],
  t: DecisionThresholds = DEFAULT_THRESHOLDS,
): QuestionDecision {
  const top = ranked[0];
  if (!top) return { decision: 'fallback', confidence: 1, show: 0 };
  const ev = evidence(top);
  const second = ranked[1];
  const ratio = second && top.score > 0 ? Math.min(1, second.score / top.score) : 0;
  const separation = 1 - ratio * ratio;
  if (top.coverage < t.minCoverage) {
    return { decision: 'fallback', confidence: clamp(1 - top.coverage), show: Math.min(3, ranked.length) };
  }
  if (ratio >= t.closeRatio || ev < t.answerEvidence) {
    let n = 1;
    while (n < ranked.length && n < t.maxClarify && ranked[n]!.score >= top.score * t.closeRatio * 0.9) n++;
    if (n >= 2) return { decision: 'clarify', confidence: clamp(ev * (1 - ratio / 2)), show: n };
    if (ev < t.answerEvidence) {
      return { decision: 'fallback', confidence: clamp(1 - ev), show: Math.min(3, ranked.length) };
    }
  }
  return { decision: 'answer', confidence: clamp(ev * (0.6 + 0.4 * separation)), show: Math.min(3, ranked.length) };
}

function clamp(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}
