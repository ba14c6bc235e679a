// The feedback room: 👍 thanks, 👎 offers a person, a rating after staff is recorded.
import { describe, expect, it } from 'vitest';
import { dialogue, lastOptions } from './support.ts';

describe('feedback room', async () => {
  const d = await dialogue();

  it('👍 is recorded and thanked', () => {
    const t = d.press(d.fresh(), { type: 'feedback', guideId: 'id-card-issue', helpful: true });
    expect(t.effects).toEqual([{ type: 'feedback', guideId: 'id-card-issue', helpful: true }]);
    expect(t.state.pending).toBeUndefined();
  });

  it('👎 is recorded and offers a person (yes/no)', () => {
    const t = d.press(d.fresh(), { type: 'feedback', guideId: 'id-card-issue', helpful: false });
    expect(t.state).toMatchObject({ pending: 'handoff-confirm', handoffReason: 'feedback' });
    expect(lastOptions(t)).toEqual([{ type: 'handoff-answer', yes: true }, { type: 'handoff-answer', yes: false }]);
  });

  it('a rating is recorded and clears the question', () => {
    const t = d.press(d.fresh({ pending: 'rating' }), { type: 'rate', score: 4 });
    expect(t.effects).toEqual([{ type: 'rating', score: 4 }]);
    expect(t.state.pending).toBeUndefined();
  });
});
