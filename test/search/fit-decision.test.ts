// Fitting the decision: a logistic model, folds stratified by kind, thresholds from cross-validation.
import { describe, expect, it } from 'vitest';
import { chooseThresholds, crossValidate, FIT_DEFAULTS, fitLogistic, scoreAt, stratifiedFolds, type FitLine } from '../../src/search/fit-decision.ts';
import { probability } from '../../src/search/decision-model.ts';

/** Lines whose first signal says whether they are right (with noise in the second). */
function toyLines(n: number): FitLine[] {
  return Array.from({ length: n }, (_, i) => {
    const right = i % 3 !== 0;
    const oos = !right && i % 2 === 0;
    return { q: `q${i}`, features: [right ? 0.7 + (i % 7) * 0.04 : 0.2 + (i % 5) * 0.05, (i * 37) % 11 / 11], right, oos, kind: i % 4 === 0 ? 'long' : 'short' };
  });
}

describe('fitting the decision', () => {
  it('learns which signal tells right from wrong', () => {
    const lines = toyLines(120);
    const w = fitLogistic(lines.map((l) => l.features), lines.map((l) => (l.right ? 1 : 0)), FIT_DEFAULTS);
    const model = { ...w, features: ['a', 'b'], answerAt: 0.5, clarifyAt: 0.5, fittedOn: '' };
    expect(Math.abs(w.weights[0]!)).toBeGreaterThan(5 * Math.abs(w.weights[1]!));
    expect(probability(model, [0.9, 0.5])).toBeGreaterThan(0.9);
    expect(probability(model, [0.2, 0.5])).toBeLessThan(0.1);
  });

  it('spreads every kind evenly over the folds, the same way every time', () => {
    const lines = toyLines(100);
    const folds = stratifiedFolds(lines, 5);
    expect(stratifiedFolds(lines, 5)).toEqual(folds);
    for (const kind of ['long', 'short']) {
      const counts = [0, 1, 2, 3, 4].map((f) => lines.filter((l, i) => l.kind === kind && folds[i] === f).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });

  it('chooses answerAt within the wrong-answer budget and clarifyAt declining enough out of scope', () => {
    const lines = toyLines(150);
    const p = crossValidate(lines, FIT_DEFAULTS);
    const { answerAt, clarifyAt } = chooseThresholds(lines, p, FIT_DEFAULTS);
    const s = scoreAt(lines, p, answerAt, clarifyAt);
    expect(s.wrong).toBeLessThanOrEqual(FIT_DEFAULTS.maxWrong * lines.length);
    expect(s.declined / s.outOfScope).toBeGreaterThanOrEqual(FIT_DEFAULTS.oosDeclined);
    expect(clarifyAt).toBeLessThanOrEqual(answerAt);
    expect(s.answeredRight).toBe(lines.filter((l) => l.right).length); // separable: every right line answered
  });
});

describe('npm run fit (in-process)', () => {
  it('fits on every own set: questions, styles, then each blind round by number, other files left out', async () => {
    const { ownQuestionSets } = await import('../../src/cli/fit.ts');
    const files = ['styles-r10.jsonl', 'conversations-r3.jsonl', 'styles.jsonl', 'people-r19.jsonl', 'questions.jsonl', 'styles-r3.jsonl', 'communes.jsonl', 'styles-r26.jsonl'];
    expect(ownQuestionSets(files)).toEqual(['questions.jsonl', 'styles.jsonl', 'styles-r3.jsonl', 'styles-r10.jsonl', 'people-r19.jsonl', 'styles-r26.jsonl']);
  });

  it('fits the same model twice from the same content and lines, within its wrong-answer budget', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { fitDecision } = await import('../../src/cli/fit.ts');
    const { parseJsonl } = await import('../../src/search/eval-score.ts');
    const { realSnapshot } = await import('../support/test-content.ts');
    const { content } = await realSnapshot();
    const items = parseJsonl(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'eval', 'styles.jsonl'), 'utf8'));
    const a = fitDecision(content, items, ['styles.jsonl']);
    const b = fitDecision(content, items, ['styles.jsonl']);
    expect(b.model).toEqual(a.model);
    const s = scoreAt(a.lines, a.cv, a.model.answerAt, a.model.clarifyAt);
    expect(s.wrong).toBeLessThanOrEqual(FIT_DEFAULTS.maxWrong * s.lines);
    expect(a.lines.length).toBeGreaterThan(150); // person and greeting lines, and intents, left out of 300
  }, 120_000);
});
