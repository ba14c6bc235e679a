// The guide room: steps by button and by word, all steps, the practical information, follow-ups.
import { describe, expect, it } from 'vitest';
import { guideFingerprint } from '../../../src/core/dialogue/dialogue.ts';
import { dialogue, lastOptions, texts } from './support.ts';

describe('guide room', async () => {
  const d = await dialogue();
  const g = d.snapshot.content.guides.get('residence-temporary')!;
  const open = (step: number) => d.fresh({ guideId: g.id, step, guideVersion: guideFingerprint(g) });

  it('a guide button opens it at step 1 with its title; a step button moves', () => {
    const t = d.press(d.fresh(), { type: 'guide', guideId: g.id });
    expect(t.state).toMatchObject({ guideId: g.id, step: 1 });
    expect(texts(t)).toContain(g.title);
    expect(d.press(open(1), { type: 'step', guideId: g.id, step: 2 }).state.step).toBe(2);
  });

  it('next, back and done move one step; back at step 1 says so; back with no guide shows the topics', () => {
    expect(d.say(open(1), 'tiếp').state.step).toBe(2);
    expect(d.say(open(3), 'quay lại').state.step).toBe(2);
    expect(d.say(open(2), 'xong rồi').state.step).toBe(3);
    expect(texts(d.say(open(1), 'quay lại'))).toContain('Bước 1/');
    expect(lastOptions(d.say(d.fresh(), 'quay lại'))[0]?.type).toBe('category');
  });

  it('a guide edited during the walk restarts it with a note', () => {
    const t = d.say(d.fresh({ guideId: g.id, step: 2, guideVersion: 'old' }), 'tiếp');
    expect(t.state.step).toBe(1);
    expect(t.replies.length).toBe(2);
  });

  it('all steps goes to the end; info keeps the step', () => {
    const all = d.press(open(1), { type: 'all', guideId: g.id });
    expect(all.state.step).toBe(g.steps.length);
    const info = d.press(open(2), { type: 'info', guideId: g.id });
    expect(info.state.step).toBe(2);
    expect(lastOptions(info)[0]).toEqual({ type: 'step', guideId: g.id, step: 2 });
  });

  it('a removed guide is said to be gone', () => {
    const t = d.press(d.fresh(), { type: 'guide', guideId: 'no-such-guide' });
    expect(t.state.guideId).toBeUndefined();
    expect(lastOptions(t)[0]?.type).toBe('category');
  });

  it('a follow-up about the open guide answers that part and keeps the step', () => {
    const t = d.say(open(3), 'mất bao lâu?');
    expect(t.state).toMatchObject({ guideId: g.id, step: 3 });
    expect(t.effects).toContainEqual(expect.objectContaining({ type: 'searched', result: expect.objectContaining({ guides: [expect.objectContaining({ id: g.id })] }) }));
  });
});
