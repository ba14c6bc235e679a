import { describe, expect, it } from 'vitest';
import { parseJsonl, scoreByKind, scoreEval, type EvalOutcome } from '../../src/search/eval-score.ts';

const o = (expect: string, decision: EvalOutcome['decision'], guides: string[]): EvalOutcome => ({ q: expect, expect, decision, guides });

describe('eval scoring', () => {
  const outcomes: EvalOutcome[] = [
    o('a', 'answer', ['a', 'b']), // right
    o('a', 'clarify', ['a', 'b']), // top-1 but not answered
    o('b', 'clarify', ['a', 'b']), // top-3 only
    o('c', 'answer', ['a']), // wrong answer
    o('@none', 'fallback', []), // declined
    o('@none', 'answer', ['a']), // answered out of scope: wrong
    o('@handoff', 'handoff', []),
    o('@greeting', 'fallback', []), // missed
  ];
  const r = scoreEval(outcomes);

  it('scores top-1 and top-3 on in-scope lines', () => {
    expect(r.top1).toEqual({ count: 2, total: 4, ratio: 0.5 });
    expect(r.top3).toEqual({ count: 3, total: 4, ratio: 0.75 });
    expect(r.answeredRight.count).toBe(1);
  });

  it('counts wrong answers over all lines, out-of-scope answers included', () => {
    expect(r.wrongAnswers).toEqual({ count: 2, total: 8, ratio: 0.25 });
  });

  it('scores out-of-scope declines and intents', () => {
    expect(r.outOfScopeDeclined).toEqual({ count: 1, total: 2, ratio: 0.5 });
    expect(r.handoffRecognised.ratio).toBe(1);
    expect(r.greetingRecognised.ratio).toBe(0);
  });

  it('lists the misses with their kind', () => {
    expect(r.misses.map((m) => m.miss).sort()).toEqual(
      ['intent-missed', 'not-answered', 'wrong-answer', 'wrong-answer', 'wrong-top1'].sort(),
    );
  });

  it('accepts any of several right guides, and scores each kind of speech apart', () => {
    const lines: EvalOutcome[] = [
      { q: '1', expect: ['a', 'b'], decision: 'answer', guides: ['b'], kind: 'elderly' },
      { q: '2', expect: ['a', 'b'], decision: 'answer', guides: ['c'], kind: 'elderly' },
      { q: '3', expect: '@handoff', decision: 'handoff', guides: [], kind: 'handoff' },
      { q: '4', expect: 'a', decision: 'answer', guides: ['a'] },
    ];
    const all = scoreEval(lines);
    expect(all.answeredRight).toEqual({ count: 2, total: 3, ratio: 2 / 3 });
    expect(all.wrongAnswers.count).toBe(1);
    const byKind = scoreByKind(lines);
    expect([...byKind.keys()]).toEqual(['elderly', 'handoff']);
    expect(byKind.get('elderly')!.answeredRight.count).toBe(1);
    expect(byKind.get('handoff')!.handoffRecognised).toEqual({ count: 1, total: 1, ratio: 1 });
  });

  it('gives 0 (not NaN) for empty groups', () => {
    expect(scoreEval([]).top1.ratio).toBe(0);
  });

  it('parses JSON lines, skipping blank lines', () => {
    expect(parseJsonl('{"q":"x","expect":"a"}\n\n{"q":"y"}\n{"q":"z","expect":["a","b"],"kind":"english"}\n')).toEqual([
      { q: 'x', expect: 'a', line: 1 },
      { q: 'y', line: 3 },
      { q: 'z', expect: ['a', 'b'], kind: 'english', line: 4 },
    ]);
    expect(() => parseJsonl('{"nope":1}')).toThrow(/line 1/);
  });
});
