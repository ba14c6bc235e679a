/**
 * What the decision reads and gives: the scored candidates, the thresholds of its rules, and the
 * decision itself. Shared by the fitted decision, its features and the evidence rules.
 */
import type { Decision } from '../core/ports.ts';

/** A candidate with everything the decision looks at. */
export interface ScoredCandidate {
  readonly id: string;
  /** Exact BM25 score. */
  readonly score: number;
  /**
   * The fused score that orders candidates, and the strength the decision compares: with the
   * default weighted fusion, 0.6 × BM25 relative to the best + 0.4 × focus + 0.1 × fuzzy.
   */
  readonly fused: number;
  readonly coverage: number;
  readonly focus: number;
  readonly linkHits: number;
  /** Weight of the best keyword phrase of the guide found in the question (0: none). */
  readonly keyword: number;
  /** 0..1 fuzzy match of the short fields (fuse.js). */
  readonly fuzzy: number;
  /** A telling word of the question is in the guide's title or keywords (absent: assumed). */
  readonly anchored?: boolean;
}

/** The knobs of the decision (defaults in DEFAULT_THRESHOLDS). */
export interface DecisionThresholds {
  /** Below this focus (field-credited coverage of the question's content), nothing fits: fallback. */
  readonly minFocus: number;
  /** Lead in fused score over the runner-up needed to answer without asking. */
  readonly answerMargin: number;
  /** Candidates within this fused score of the best are offered when clarifying. */
  readonly clarifyBand: number;
  /** Most candidates offered when clarifying. */
  readonly maxClarify: number;
  /** Least focus when one of the guide's keyword phrases is in the question and it leads by `keywordLead`. */
  readonly keywordFocus: number;
  /** Lead in fused score that lets a keyword phrase stand in for focus. */
  readonly keywordLead: number;
  /** Content words from which a message is long (context around the topic). */
  readonly longMessage: number;
  /** `keywordLead` for a long message. */
  readonly longKeywordLead: number;
}

/**
 * Defaults, chosen with `npm run eval` on the repo's own question set (then checked on the
 * shared dev set): focus 0.5 declines every out-of-scope question there, a 0.1 lead keeps
 * wrong answers under 1 %.
 */
export const DEFAULT_THRESHOLDS: DecisionThresholds = {
  minFocus: 0.5,
  answerMargin: 0.1,
  clarifyBand: 0.12,
  maxClarify: 3,
  keywordFocus: 0.35,
  keywordLead: 0.3,
  // Measured: from 8 to 12 words the own set gains 2–4 answers and no wrong one; from 6 it
  // answers an out-of-scope question.
  longMessage: 10,
  longKeywordLead: 0.15,
};

/** The decision over ranked candidates (best first) of a message that is a question. */
export interface QuestionDecision {
  readonly decision: Extract<Decision, 'answer' | 'clarify' | 'fallback'>;
  readonly confidence: number;
  /** Candidates to show: for clarify the 2–3 close ones; otherwise up to 3 (best first). */
  readonly show: number;
  /** A fallback whose best guide is still plausible (worth offering as "is it one of these?"). */
  readonly plausible?: true;
}

/** A fitted model: standardisation, weights and thresholds, with where they came from. */
export interface DecisionModel {
  /** Names of the signals, in order (must be FEATURE_NAMES of decision-features.ts). */
  readonly features: readonly string[];
  /** Mean and standard deviation of each signal on the training lines. */
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
  /** Probability from which the best guide is given as the answer. */
  readonly answerAt: number;
  /** Probability from which the bot asks "is it this one?" instead of falling back. */
  readonly clarifyAt: number;
  /** What it was fitted on, and when (for the README and reviews). */
  readonly fittedOn: string;
}
