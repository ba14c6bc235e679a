// The confirm room: yes/no to "a person?" and "erase my data?", by button and by word.
import { describe, expect, it } from 'vitest';
import { dialogue, lastOptions } from './support.ts';

describe('confirm room', async () => {
  const d = await dialogue();

  it('yes to a person asks for a hand-off with the reason the offer had', () => {
    const t = d.say(d.fresh({ pending: 'handoff-confirm', handoffReason: 'fallbacks' }), 'có');
    expect(t.effects).toEqual([{ type: 'handoff', reason: 'fallbacks' }]);
    expect(t.state.pending).toBeUndefined();
  });

  it('no to a person clears the question and the fallbacks, with the topics', () => {
    const t = d.say(d.fresh({ pending: 'handoff-confirm', fallbacks: 2 }), 'không');
    expect(t.state).toMatchObject({ pending: undefined, fallbacks: 0 });
    expect(lastOptions(t)[0]?.type).toBe('category');
  });

  it('erase asks first; yes erases, no keeps', () => {
    const asked = d.say(d.fresh({ guideId: 'id-card-issue', step: 1 }), 'xóa dữ liệu của tôi');
    expect(asked.state.pending).toBe('erase-confirm');
    expect(d.say(asked.state, 'có').effects).toEqual([{ type: 'erase' }]);
    const kept = d.press(asked.state, { type: 'erase-answer', yes: false });
    expect(kept.effects).toEqual([]);
    expect(kept.state.pending).toBeUndefined();
  });

  it('a yes with no question pending is not taken as an answer', () => {
    const t = d.say(d.fresh(), 'có');
    expect(t.effects.some((e) => e.type === 'handoff' || e.type === 'erase')).toBe(false);
  });
});
