// The cache of recent searches (issue 24): keyed on the text and the context (the open guide and
// its app subject), least recently used dropped first, and one per built index, so a reload
// starts afresh.
import { beforeAll, describe, expect, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.ts';
import { silentLogger, type GuideIndex } from '../../src/core/ports.ts';
import { buildGuideIndex, buildGuideIndexSliced, type BuiltGuideIndex } from '../../src/search/index.ts';
import { withResultCache } from '../../src/search/result-cache.ts';
import { CONTENT_DIR, realSnapshot } from '../support/test-content.ts';

let plain: BuiltGuideIndex;
beforeAll(async () => {
  plain = buildGuideIndex((await realSnapshot()).content);
});

/** The index with a cache, and what the cache counted. */
function cachedOf(index: GuideIndex, size?: number) {
  const counts = { hit: 0, miss: 0 };
  let searches = 0;
  const counting: GuideIndex = { size: index.size, search: (t, c) => (searches++, index.search(t, c)) };
  const cached = withResultCache(counting, { size, counted: (hit) => counts[hit ? 'hit' : 'miss']++ });
  return { cached, counts, searches: () => searches };
}

describe('the search result cache', () => {
  it('answers a repeated question from the cache, with what the index answers', () => {
    const { cached, counts, searches } = cachedOf(plain);
    const first = cached.search('làm căn cước cho con');
    expect(cached.search('làm căn cước cho con')).toBe(first);
    expect(first).toEqual(plain.search('làm căn cước cho con'));
    expect(counts).toEqual({ hit: 1, miss: 1 });
    expect(searches()).toBe(1);
  });

  it('keys on the context: the open guide and its app subject', () => {
    const { cached, searches } = cachedOf(plain);
    const open = { openGuide: 'id-card-child' };
    const withSubject = { openGuide: 'id-card-child', subject: 'VNeID' };
    const bare = cached.search('lệ phí bao nhiêu?');
    const inGuide = cached.search('lệ phí bao nhiêu?', open);
    const inApp = cached.search('bị lỗi không vào được', withSubject);
    expect(searches()).toBe(3);
    expect(bare).toEqual(plain.search('lệ phí bao nhiêu?'));
    expect(inGuide).toEqual(plain.search('lệ phí bao nhiêu?', open));
    expect(inGuide.open?.id).toBe('id-card-child');
    expect(bare.open).toBeUndefined();
    expect(inApp).toEqual(plain.search('bị lỗi không vào được', withSubject));
    expect(cached.search('bị lỗi không vào được', { openGuide: 'id-card-child' })).toEqual(plain.search('bị lỗi không vào được', { openGuide: 'id-card-child' }));
    expect(searches()).toBe(4);
  });

  it('drops the least recently used result when full', () => {
    const { cached, searches } = cachedOf(plain, 2);
    cached.search('a1 căn cước');
    cached.search('a2 vneid');
    cached.search('a1 căn cước'); // a1 is now the most recent
    cached.search('a3 bảo hiểm'); // drops a2
    expect(searches()).toBe(3);
    cached.search('a1 căn cước');
    expect(searches()).toBe(3);
    cached.search('a2 vneid');
    expect(searches()).toBe(4);
  });

  it('does not keep long messages', () => {
    const { cached, searches } = cachedOf(plain);
    const long = 'tôi muốn hỏi về việc làm căn cước cho con, '.repeat(6);
    cached.search(long);
    cached.search(long);
    expect(searches()).toBe(2);
  });

  it('starts empty after a reload (each index has its own)', async () => {
    const counts = { hit: 0, miss: 0 };
    const manager = new ContentManager(
      CONTENT_DIR,
      async (b, p) => withResultCache(p ? await buildGuideIndexSliced(b, p) : buildGuideIndex(b), { counted: (hit) => counts[hit ? 'hit' : 'miss']++ }),
      silentLogger,
    );
    await manager.reload();
    manager.current().index.search('đăng ký khai sinh');
    manager.current().index.search('đăng ký khai sinh');
    expect(counts).toEqual({ hit: 1, miss: 1 });
    await manager.reload();
    manager.current().index.search('đăng ký khai sinh');
    expect(counts).toEqual({ hit: 1, miss: 2 });
  });
});
