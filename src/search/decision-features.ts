/**
 * The measured signals the answer/clarify/fallback decision reads for a guide question: how much
 * of the message the best guide explains (coverage, focus), how far ahead it is, whether one of
 * its keyword phrases or adjacent word pairs is in the message, how long the message is. Each is
 * a number near 0..1, so one fitted weight per signal reads the same on any content.
 */
import type { ScoredCandidate } from './decide.ts';

/** The signals, in the order of the model's weights. */
export const FEATURE_NAMES = [
  'focus',
  'coverage',
  'fused',
  'margin',
  'keyword',
  'hasKeyword',
  'links',
  'anchored',
  'fuzzy',
  'secondFocus',
  'length',
  'english',
  'topicShare',
  'notCovered',
  'unknownShare',
  'focusKnown',
  'coverageKnown',
] as const;

/** What the features are read from, beside the ranked candidates. */
export interface QuestionShape {
  /** Content words (slots) of the message. */
  readonly contentWords: number;
  /** Content words outside follow-up phrases. */
  readonly topicWords: number;
  /** Content words no guide has any reading for. */
  readonly unknownWords: number;
  /** The share of the evidence's weight those words hold (0..1). */
  readonly unknownWeight: number;
  readonly english: boolean;
  /** The message also names a topic no guide covers. */
  readonly notCovered: boolean;
}

/** The feature vector of a question (candidates best first; empty gives zeros). */
export function questionFeatures(ranked: readonly ScoredCandidate[], shape: QuestionShape): number[] {
  const top = ranked[0];
  let rival = 0;
  let secondFocus = 0;
  for (let i = 1; i < ranked.length; i++) {
    rival = Math.max(rival, ranked[i]!.fused);
    if (i === 1) secondFocus = ranked[i]!.focus;
  }
  const words = Math.max(1, shape.contentWords);
  // Focus and coverage over the words some guide could explain (a story's own words left out).
  const known = Math.max(0.05, 1 - shape.unknownWeight);
  return [
    top?.focus ?? 0,
    top?.coverage ?? 0,
    top?.fused ?? 0,
    top ? top.fused - rival : 0,
    top?.keyword ?? 0,
    top && top.keyword > 0 ? 1 : 0,
    top ? Math.min(top.linkHits, 4) / 4 : 0,
    top && top.anchored !== false ? 1 : 0,
    top?.fuzzy ?? 0,
    secondFocus,
    Math.min(1, Math.log1p(shape.contentWords) / Math.log1p(30)),
    shape.english ? 1 : 0,
    shape.topicWords / words,
    shape.notCovered ? 1 : 0,
    shape.unknownWords / words,
    Math.min(1, (top?.focus ?? 0) / known),
    Math.min(1, (top?.coverage ?? 0) / known),
  ];
}
