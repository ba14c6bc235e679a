// Posting arrays kept between reloads (issue 24): a reload writes into the arrays of an index no
// longer in use instead of allocating them anew (at 5,000 guides a new set made V8 force a full
// collection mid-reload), never into those of the index in use, and an index whose arrays were
// taken back refuses lookups. Indexes built on reused arrays answer as fresh ones do.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import type { ContentBundle } from '../../src/core/content.ts';
import type { Guide } from '../../src/core/guide.ts';
import { buildGuideIndex } from '../../src/search/index.ts';
import { IndexMemory } from '../../src/search/index-memory.ts';
import { ARENA_HEADROOM, PostingsArena } from '../../src/search/postings-arena.ts';
import { CONTENT_DIR, ownQuestions } from '../support/test-content.ts';

const QUESTIONS = ownQuestions();

let bundle: ContentBundle;
beforeAll(async () => {
  bundle = (await loadContent(CONTENT_DIR)).bundle!;
});

/** An owner that records its revocation. */
function owner(): { revoked: boolean; revoke(): void } {
  return {
    revoked: false,
    revoke() {
      this.revoked = true;
    },
  };
}

describe('the postings arena', () => {
  it('reuses nothing until an index is committed, then never the committed one', () => {
    const arena = new PostingsArena();
    const a = arena.take(100);
    const first = owner();
    arena.own(first);
    const b = arena.take(100); // nothing committed: a new set, the first one left alone
    expect(b.reused).toBe(false);
    expect(b.docs.buffer).not.toBe(a.docs.buffer);
    expect(first.revoked).toBe(false);
    const second = owner();
    arena.own(second);
    arena.commit(); // the second index is in use
    const c = arena.take(100); // no spare yet (the first set was let go): new
    expect(c.reused).toBe(false);
    expect([a.docs.buffer, b.docs.buffer]).not.toContain(c.docs.buffer);
    const third = owner();
    arena.own(third);
    arena.commit(); // the third is in use: the second's set is the spare
    const d = arena.take(100);
    expect(d.reused).toBe(true);
    expect(d.docs.buffer).toBe(b.docs.buffer);
    expect(second.revoked).toBe(true);
    expect(third.revoked).toBe(false);
    expect(d.docs.length).toBe(100);
  });

  it('keeps the spare for a build that was never committed, and takes a new set when the spare is too small', () => {
    const arena = new PostingsArena();
    arena.take(100);
    arena.own(owner());
    arena.commit();
    const spare = arena.take(100);
    arena.own(owner()); // built, never swapped in: the first set is still the one in use
    const again = arena.take(100);
    expect(again.reused).toBe(true);
    expect(again.docs.buffer).toBe(spare.docs.buffer);
    const before = arena.allocatedBytes;
    const big = arena.take(Math.ceil(100 * ARENA_HEADROOM) + 1);
    expect(big.reused).toBe(false);
    expect(big.docs.buffer).not.toBe(spare.docs.buffer);
    expect(arena.allocatedBytes).toBeGreaterThan(before);
  });
});

describe('indexes built on reused arrays', () => {
  it('answer every question as a fresh build does, allocate no new arrays, and a retired index refuses lookups', () => {
    const arena = new PostingsArena();
    const memory = new IndexMemory();
    const edited = (n: number): ContentBundle => {
      const guides = bundle.guideList.map((g, i): Guide => (i === 0 ? { ...g, keywords: [...g.keywords, `từ khóa thêm ${n}`] } : g));
      return { ...bundle, guideList: guides, guides: new Map(guides.map((g) => [g.id, g])) };
    };
    const builds = [bundle, edited(1), edited(2), edited(3)].map((b) => {
      const index = buildGuideIndex(b, { postings: arena }, memory);
      arena.commit();
      return { b, index };
    });
    const bytes = arena.allocatedBytes;
    const last = builds.at(-1)!;
    const fresh = buildGuideIndex(last.b);
    for (const q of QUESTIONS) expect(last.index.search(q), q).toEqual(fresh.search(q));
    // The first two indexes' arrays went to the third and fourth builds: they refuse lookups
    // (their search port, which never throws, answers "no guide").
    for (const retired of [builds[0]!.index, builds[1]!.index]) {
      expect(() => retired.explain('làm căn cước')).toThrow(/retired/);
      expect(retired.search('làm căn cước')).toMatchObject({ decision: 'fallback', guides: [] });
    }
    expect(builds[2]!.index.search('làm căn cước')).toEqual(buildGuideIndex(builds[2]!.b).search('làm căn cước'));
    // One more build, same size: the spare is reused, nothing allocated.
    buildGuideIndex(edited(4), { postings: arena }, memory);
    expect(arena.allocatedBytes).toBe(bytes);
  });
});
