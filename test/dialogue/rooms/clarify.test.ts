// The clarify room: "Did you mean…?" answered by a button, by words of a title, or "none of these".
import { describe, expect, it } from 'vitest';
import { dialogue, lastOptions } from './support.ts';

describe('clarify room', async () => {
  const d = await dialogue();

  it('a vague question offers 2–3 guides and a "none of these"', () => {
    const t = d.say(d.fresh(), 'thẻ bhyt');
    expect(t.state.clarify?.length).toBeGreaterThanOrEqual(2);
    expect(lastOptions(t).at(-1)).toEqual({ type: 'clarify-none' });
  });

  it('a topic area named alone gets that area\'s guides to pick, even when one guide is plausible', () => {
    for (const q of ['bảo hiểm', 'cho hỏi về căn cước']) {
      const t = d.say(d.fresh(), q);
      expect(t.outcome.decision).toBe('clarify');
      expect(t.state.clarify).toBeUndefined();
      expect(t.state.guideId).toBeUndefined();
      expect(lastOptions(t).length).toBeGreaterThanOrEqual(3);
    }
  });

  it("typed words of one offered title pick it; words that fit none are searched", () => {
    const offered = ['vneid-register-level1', 'vneid-activate-level2'];
    const g = d.snapshot.content.guides.get('vneid-activate-level2')!;
    const picked = d.say(d.fresh({ clarify: offered }), 'kích hoạt');
    expect(picked.state).toMatchObject({ guideId: g.id, step: 1, clarify: undefined });
    const searched = d.say(d.fresh({ clarify: offered }), 'giá vàng hôm nay');
    expect(searched.state.clarify).toBeUndefined();
    expect(searched.state.fallbacks).toBe(1);
  });

  it('"none of these" is an honest fallback', () => {
    const t = d.press(d.fresh({ clarify: ['id-card-issue', 'id-card-child'] }), { type: 'clarify-none' });
    expect(t.state).toMatchObject({ clarify: undefined, fallbacks: 1 });
  });
});
