/**
 * The measured signals the answer/clarify/fallback decision reads for a guide question: how much
 * of the message the best guide explains (coverage, focus, over all words and over the words some
 * guide knows), how far ahead it is, whether one of its keyword phrases or adjacent word pairs is
 * in the message, how long the message is and how much of it no guide knows, and the evidence
 * rules' own verdict. Each is a number near 0..1, so one fitted weight per signal reads the same on
 * any content; a few products let the weights differ for long messages and keyword phrases.
 */
import type { Decision } from '../core/ports.ts';
import type { ScoredCandidate } from './decision-types.ts';

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
  'focus×hasKeyword',
  'margin×focus',
  'focus×length',
  'hasKeyword×length',
  'links×focus',
  'focusLead',
  'english×focus',
  'unknownShare×length',
  'rulesAnswer',
  'rulesClarify',
  'clauseFocus',
  'problemFit',
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
  /** The best guide's focus on the message's best clause of two words or more (its focus when there is one clause). */
  readonly clauseFocus: number;
  /** How well the best guide's closest problem signs fit the message (0..1). */
  readonly problemFit: number;
}

/** The feature vector of a question (candidates best first; none gives zeros). `rules`: the evidence rules' verdict. */
export function questionFeatures(ranked: readonly ScoredCandidate[], shape: QuestionShape, rules: Decision): number[] {
  const top = ranked[0];
  let rival = 0;
  for (let i = 1; i < ranked.length; i++) rival = Math.max(rival, ranked[i]!.fused);
  const secondFocus = ranked[1]?.focus ?? 0;
  const words = Math.max(1, shape.contentWords);
  // Focus and coverage over the words some guide could explain (a story's own words left out).
  const known = Math.max(0.05, 1 - shape.unknownWeight);
  const focus = top?.focus ?? 0;
  const margin = top ? top.fused - rival : 0;
  const hasKeyword = top && top.keyword > 0 ? 1 : 0;
  const links = top ? Math.min(top.linkHits, 4) / 4 : 0;
  const length = Math.min(1, Math.log1p(shape.contentWords) / Math.log1p(30));
  const english = shape.english ? 1 : 0;
  const unknownShare = shape.unknownWords / words;
  return [
    focus,
    top?.coverage ?? 0,
    top?.fused ?? 0,
    margin,
    top?.keyword ?? 0,
    hasKeyword,
    links,
    top && top.anchored !== false ? 1 : 0,
    top?.fuzzy ?? 0,
    secondFocus,
    length,
    english,
    shape.topicWords / words,
    shape.notCovered ? 1 : 0,
    unknownShare,
    Math.min(1, focus / known),
    Math.min(1, (top?.coverage ?? 0) / known),
    focus * hasKeyword,
    margin * focus,
    focus * length,
    hasKeyword * length,
    links * focus,
    focus - secondFocus,
    english * focus,
    unknownShare * length,
    rules === 'answer' ? 1 : 0,
    rules === 'clarify' ? 1 : 0,
    shape.clauseFocus,
    shape.problemFit,
  ];
}
