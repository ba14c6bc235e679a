// The server reads at most 300 characters of a message for search: the start and the end.
import { describe, expect, it } from 'vitest';
import { buildGuideIndex } from '../../src/search/index.ts';
import { capQueryLength, headAndTail, SEARCH_QUERY_MAX_CHARS } from '../../src/server.ts';
import { realSnapshot } from '../support/test-content.ts';

describe('long messages are read by their start and their end', () => {
  it('keeps whole words from both ends, within the limit', () => {
    const text = `${'mở đầu '.repeat(60)}giữa ${'kết thúc '.repeat(60)}`.trim();
    const cut = headAndTail(text, 100);
    expect(cut.length).toBeLessThanOrEqual(102);
    expect(cut.startsWith('mở đầu')).toBe(true);
    expect(cut.endsWith('kết thúc')).toBe(true);
    expect(cut).not.toContain('giữa');
    for (const w of cut.replace(',', '').split(' ')) expect(['mở', 'đầu', 'kết', 'thúc']).toContain(w);
  });

  it('answers a question that comes after a long story', async () => {
    const index = capQueryLength(buildGuideIndex((await realSnapshot()).content), SEARCH_QUERY_MAX_CHARS);
    const story = 'nhà tôi ở xa lắm, mấy đứa con đi làm ăn xa hết, ông nhà tôi thì bệnh nằm một chỗ mấy năm nay, '.repeat(4);
    const text = `${story}giờ tôi muốn đăng ký tạm trú cho đứa cháu lên ở trọ đi học`;
    expect(text.length).toBeGreaterThan(SEARCH_QUERY_MAX_CHARS);
    expect(index.search(text).guides[0]?.id).toBe('residence-temporary');
  });
});
