/**
 * The decision for one message: answer, clarify, fallback, or an intent. Confidence is built
 * from evidence, not from one raw score: how much of the query's content the best guide covers
 * (weighted by how telling each word is), whether it is found in the curated short fields or as
 * adjacent pairs, and how far ahead of the runner-up the best guide is.
 */
import { questionFeatures, type QuestionShape } from './decision-features.ts';
import { DEFAULT_MODEL, probability, type DecisionModel } from './decision-model.ts';
import { DEFAULT_THRESHOLDS, type DecisionThresholds, type QuestionDecision, type ScoredCandidate } from './decision-types.ts';
import { ruleVerdict } from './evidence-rules.ts';

export { DEFAULT_THRESHOLDS, type DecisionThresholds, type QuestionDecision, type ScoredCandidate } from './decision-types.ts';

/**
 * Decides for a guide question from its measured signals (see decision-features.ts): the
 * fitted model's probability that the best guide is the right answer, against two fitted
 * thresholds. Above `answerAt`: answer. Between `clarifyAt` and `answerAt`: the guide is
 * plausible, so ask ("Có phải bạn hỏi về …?", with the close ones) rather than say "I don't
 * know". Below: an honest fallback, the closest guides offered as suggestions. Pure.
 */
export function decideQuestion(
  ranked: readonly ScoredCandidate[],
  shape: QuestionShape,
  model: DecisionModel = DEFAULT_MODEL,
  t: DecisionThresholds = DEFAULT_THRESHOLDS,
): QuestionDecision {
  const top = ranked[0];
  if (!top) return { decision: 'fallback', confidence: 1, show: 0 };
  const upTo3 = Math.min(3, ranked.length);
  const rules = ruleVerdict(ranked, shape.contentWords, t, !shape.notCovered);
  const p = probability(model, questionFeatures(ranked, shape, rules.decision));
  // A message of one or two content words that two or three strong guides share equally
  // ("bảo hiểm": health or social insurance) names a topic, not a guide: always asked, never
  // answered, however sure the model is of the first.
  const sharedTopic = rules.decision === 'clarify' && shape.contentWords <= 2;
  if (p >= model.answerAt && !sharedTopic) return { decision: 'answer', confidence: round(p), show: upTo3 };
  // Two or three strong guides nearly tied (the rules' clarify): the right one is likely among
  // them even though the first alone is a coin toss, so ask which.
  if (rules.decision === 'clarify' && (p >= PLAUSIBLE_FROM || sharedTopic)) return { ...rules, confidence: round(p) };
  if (p < model.clarifyAt) return { decision: 'fallback', confidence: round(1 - p), show: upTo3, ...(p >= PLAUSIBLE_FROM ? { plausible: true as const } : {}) };
  // Plausible: the best guide first, with those close to it (one alone is "is it this one?").
  let n = 1;
  while (n < ranked.length && n < t.maxClarify && ranked[n]!.fused >= top.fused - t.clarifyBand && ranked[n]!.focus >= t.minFocus * 0.8) n++;
  return { decision: 'clarify', confidence: round(p), show: n };
}

/**
 * Probability from which a guide the decision does not give is still offered as "is it one of
 * these?" rather than under "I have no guide for this" (the decision stays a fallback).
 */
export const PLAUSIBLE_FROM = 0.3;

function round(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}
