// Follow-ups ("lệ phí bao nhiêu?") as the reports see them: answered from the open guide counts
// as an answer for that guide; with no guide open it stays unanswered.
import { describe, expect, it } from 'vitest';
import { runTurn, type Turn } from '../../src/core/dialogue/dialogue.ts';
import { newState } from '../../src/core/engine.ts';
import type { ConversationState } from '../../src/core/types.ts';
import { realSnapshot } from '../support/test-content.ts';

describe('follow-ups about one part of a guide', async () => {
  const snapshot = await realSnapshot();
  const ctx = { snapshot, ttlDays: 30 };
  const say = (state: ConversationState, text: string): Turn => runTurn(ctx, state, { kind: 'text', text });
  const searched = (t: Turn) => t.effects.find((e) => e.type === 'searched');

  it('the search marks a message that only asks about a part, and ranks a part with a topic normally', () => {
    const only = snapshot.index.search('lệ phí bao nhiêu');
    expect(only).toMatchObject({ decision: 'fallback', guides: [], intent: 'ask-fees' });
    const topic = snapshot.index.search('đăng ký tạm trú mất bao lâu');
    expect(topic).toMatchObject({ decision: 'answer', intent: 'ask-time' });
    expect(topic.guides[0]?.id).toBe('residence-temporary');
    // "ở đâu" in a guide's own topic still counts for ranking
    expect(snapshot.index.search('nộp hồ sơ trực tiếp ở đâu').guides[0]?.id).toBe('dvc-where-to-submit');
  });

  it('records an answer for the open guide, and leaves the walk where it was', () => {
    const opened = say(newState({ channel: 'web', chatId: 'f1' }, 0), 'đăng ký tạm trú');
    expect(opened.state.guideId).toBe('residence-temporary');
    const t = say({ ...opened.state, step: 3 }, 'lệ phí bao nhiêu?');
    expect(searched(t)).toMatchObject({ result: { decision: 'answer', guides: [{ id: 'residence-temporary' }], intent: 'ask-fees' } });
    expect(t.state).toMatchObject({ guideId: 'residence-temporary', step: 3, fallbacks: 0 });
    expect(t.replies).toHaveLength(1);
    expect(t.replies[0]!.text).toContain('💰');
  });

  it('with no guide open, asks which procedure and records the question as unanswered', () => {
    const t = say(newState({ channel: 'web', chatId: 'f2' }, 0), 'mất bao lâu');
    expect(searched(t)).toMatchObject({ result: { decision: 'fallback', intent: 'ask-time' } });
    expect(t.state.guideId).toBeUndefined();
    expect(t.state.fallbacks).toBe(0);
  });

  it('a filler-only message is not recorded as a question nor counted as a fallback', () => {
    const t = say(newState({ channel: 'web', chatId: 'f3' }, 0), 'dạ vâng ạ');
    expect(searched(t)).toBeUndefined();
    expect(t.state.fallbacks).toBe(0);
    expect(t.replies[0]!.options?.length).toBeGreaterThan(0);
  });

  it('filler that asks to ask ("cho hỏi", "giúp tôi với") is a clarify (the topics, an invitation); other filler a greeting', () => {
    for (const text of ['cho hỏi', 'giúp tôi với', 'làm sao']) {
      const t = say(newState({ channel: 'web', chatId: 'f5' }, 0), text);
      expect(t.outcome).toMatchObject({ decision: 'clarify' });
      expect(t.replies[0]!.options?.length).toBeGreaterThan(0);
    }
    expect(say(newState({ channel: 'web', chatId: 'f6' }, 0), 'dạ vâng ạ').outcome).toMatchObject({ decision: 'greeting' });
  });

  it("records a part the open guide does not give as unanswered, next to that guide (a gap for the editors)", () => {
    const opened = say(newState({ channel: 'web', chatId: 'f4' }, 0), 'đi chợ trả tiền bằng mã qr');
    expect(opened.state.guideId).toBe('cashless-market');
    const t = say(opened.state, 'mất bao lâu');
    expect(searched(t)).toMatchObject({ result: { decision: 'fallback', guides: [{ id: 'cashless-market' }], intent: 'ask-time' } });
    expect(t.state.fallbacks).toBe(0);
  });
});
