// Issue 20: at the end of a guide, 👍/👎 come with "was it helpful?" in a message of their own;
// the related guides follow under "Có thể bạn cũng cần:", never mixed with the thumbs.
import { describe, expect, it } from 'vitest';
import { dialogue } from './support.ts';

describe('the end of a guide', async () => {
  const d = await dialogue();
  const guide = d.snapshot.content.guideList.find((g) => g.related.length > 0)!;
  const last = guide.steps.length;

  for (const [how, action] of [
    ['the last step', { type: 'step', guideId: guide.id, step: last }],
    ['all steps at once', { type: 'all', guideId: guide.id }],
  ] as const) {
    it(`${how}: 👍/👎 under "hữu ích không?", the related guides in the next message`, () => {
      const t = d.press(d.fresh(), action);
      const thumbs = t.replies.findIndex((r) => r.options?.some((o) => o.label.includes('👍')));
      expect(thumbs).toBeGreaterThanOrEqual(0);
      const end = t.replies[thumbs]!;
      expect(end.text).toContain('Hướng dẫn này có hữu ích không?');
      expect(end.text).not.toContain('Có thể bạn cũng cần');
      expect(end.options!.some((o) => o.action.type === 'guide')).toBe(false);
      const related = t.replies[thumbs + 1]!;
      expect(related.text).toBe('Có thể bạn cũng cần:');
      expect(related.options!.some((o) => o.label.includes('👍') || o.label.includes('👎'))).toBe(false);
      expect(related.options!.filter((o) => o.action.type === 'guide').length).toBeGreaterThan(0);
      expect(t.replies.length).toBe(thumbs + 2);
    });
  }
});
