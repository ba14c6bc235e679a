// A fresh question: answered, clarified, declined honestly, greeted, handed off; language and secrets.
import { describe, expect, it } from 'vitest';
import { dialogue, lastOptions, texts } from './support.ts';

describe('question (any room)', async () => {
  const d = await dialogue();
  const searched = (t: ReturnType<typeof d.say>) => t.effects.find((e) => e.type === 'searched');

  it('a clear question opens its guide and is recorded', () => {
    const t = d.say(d.fresh(), 'đăng ký tạm trú online');
    expect(t.state).toMatchObject({ guideId: 'residence-temporary', step: 1 });
    expect(searched(t)).toBeDefined();
  });

  it('out of scope falls back once, then offers a person', () => {
    const once = d.say(d.fresh(), 'giá vàng hôm nay bao nhiêu');
    expect(once.state.fallbacks).toBe(1);
    const twice = d.say(once.state, 'kết quả xổ số miền nam');
    expect(twice.state.pending).toBe('handoff-confirm');
  });

  it('asking for a person hands off; a thank-you is thanked', () => {
    expect(d.say(d.fresh(), 'cho tôi gặp cán bộ').effects).toContainEqual({ type: 'handoff', reason: 'asked' });
    const thanks = d.say(d.fresh(), 'cảm ơn nhiều');
    expect(thanks.effects.some((e) => e.type === 'handoff')).toBe(false);
    expect(thanks.state.guideId).toBeUndefined();
  });

  it('a scam report opens the scam guide and offers a person', () => {
    const t = d.say(d.fresh(), 'tôi bị lừa chuyển tiền rồi');
    expect(t.state).toMatchObject({ guideId: 'scam-warning', pending: 'handoff-confirm', handoffReason: 'scam' });
  });

  it('an English question turns the conversation to English, with a note', () => {
    const t = d.say(d.fresh(), 'how do I register temporary residence online');
    expect(t.state.lang).toBe('en');
    expect(texts(t)).toContain('Step 1/');
  });

  it('a full ID number gets a warning first, then the answer', () => {
    const t = d.say(d.fresh(), 'số căn cước của tôi 079123456789 làm lại thẻ ở đâu');
    expect(t.replies[0]!.text.startsWith('⚠️')).toBe(true);
    expect(t.state.guideId).toBe('id-card-issue');
  });

  it('filler alone invites a question and is not recorded', () => {
    const t = d.say(d.fresh(), 'ừ ừ');
    expect(searched(t)).toBeUndefined();
    expect(lastOptions(t)[0]?.type).toBe('category');
  });
});
