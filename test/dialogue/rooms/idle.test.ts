// The idle room: welcome, topics, help, reset, language commands, inputs that are not text.
import { describe, expect, it } from 'vitest';
import { dialogue, lastOptions, texts } from './support.ts';

describe('idle room', async () => {
  const d = await dialogue();

  it('/start forgets the place and welcomes with the topics', () => {
    const t = d.run(d.fresh({ guideId: 'id-card-issue', step: 3, fallbacks: 1, clarify: ['a'] }), { kind: 'start' });
    expect(t.state).toMatchObject({ guideId: undefined, step: undefined, fallbacks: 0, clarify: undefined });
    expect(texts(t)).toContain('Xin chào');
    expect(lastOptions(t).every((a) => a.type === 'category')).toBe(true);
  });

  it('a photo is asked to be typed; withheld content gets the topics', () => {
    expect(texts(d.run(d.fresh(), { kind: 'media' }))).not.toBe('');
    const t = d.run(d.fresh(), { kind: 'unsupported' });
    expect(lastOptions(t).some((a) => a.type === 'category')).toBe(true);
  });

  it('menu, help and a category show topics and guides', () => {
    expect(lastOptions(d.say(d.fresh({ pending: 'rating' }), 'menu'))[0]?.type).toBe('category');
    expect(d.say(d.fresh(), 'trợ giúp').replies).toHaveLength(2);
    const cat = d.press(d.fresh(), { type: 'category', categoryId: 'vneid' });
    expect(lastOptions(cat).filter((a) => a.type === 'guide').length).toBeGreaterThan(3);
  });

  it('reset forgets the guide; cancel outside a hand-off shows the topics', () => {
    const t = d.say(d.fresh({ guideId: 'id-card-issue', step: 2 }), 'bắt đầu lại');
    expect(t.state.guideId).toBeUndefined();
    expect(lastOptions(d.say(d.fresh(), 'hủy'))[0]?.type).toBe('category');
  });

  it('a language command switches for good and reopens the step in that language', () => {
    const t = d.say(d.fresh({ guideId: 'id-card-issue', step: 2 }), 'english');
    expect(t.state).toMatchObject({ lang: 'en', langChosen: true, guideId: 'id-card-issue', step: 2 });
    expect(texts(t)).toContain('Step 2/');
    expect(d.say(t.state, 'tiếng việt').state.lang).toBe('vi');
  });

  it('a pressed number that is no option shows the topics; an old menu is stale', () => {
    expect(lastOptions(d.run(d.fresh({ options: ['menu'], menuSeq: 3 }), { kind: 'option', index: 5, menuSeq: 3 }))[0]?.type).toBe('category');
    const stale = d.run(d.fresh({ options: ['menu'], menuSeq: 9 }), { kind: 'option', index: 1, menuSeq: 2 });
    expect(lastOptions(stale)[0]?.type).toBe('category');
    expect(stale.state.menuSeq).toBe(9);
  });
});
