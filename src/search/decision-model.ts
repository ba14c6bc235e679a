/**
 * The fitted decision: a logistic model of "the best-ranked guide is the right answer" over the
 * question's signals, and the two thresholds that turn its probability into answer, clarify or
 * fallback. Fitted by `npm run fit` (src/cli/fit.ts) on the project's own question sets and
 * written to decision-weights.ts; nothing here is tuned by hand.
 */
import type { DecisionModel } from './decision-types.ts';
import { DEFAULT_MODEL } from './decision-weights.ts';

export { DEFAULT_MODEL };
export type { DecisionModel } from './decision-types.ts';

/** The model's probability that the best guide is right, for a feature vector. */
export function probability(model: DecisionModel, features: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i++) {
    z += (model.weights[i]! * ((features[i] ?? 0) - model.mean[i]!)) / model.scale[i]!;
  }
  return 1 / (1 + Math.exp(-z));
}
