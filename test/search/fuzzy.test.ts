import { describe, expect, it } from 'vitest';
import { ShortFieldMatcher } from '../../src/search/fuzzy.ts';
import { buildGuideIndex } from '../../src/search/index.ts';
import { makeGuide, TINY } from './tiny-content.ts';

const guides = [
  makeGuide({
    id: 'activate',
    title: 'Kích hoạt tài khoản',
    keywords: ['kích hoạt vneid', 'vneid', 'tài khoản định danh điện tử'],
    questions: [],
  }),
];
const words = (s: string) => s.split(' ');

describe('ShortFieldMatcher (fuse.js over keyword phrases)', () => {
  const matcher = new ShortFieldMatcher(guides);

  it('counts a keyword found word for word, weighted by its length', () => {
    const [exact] = matcher.scores([0], words('cach kich hoat vneid'), [false, false, false, false]);
    expect(exact).toBeCloseTo('kich hoat vneid'.length / 16);
    // "vneid" alone (5 letters) is too short to be a pattern
    expect(matcher.scores([0], words('vneid'), [false])).toEqual([0]);
  });

  it('matches approximately only around a guessed word', () => {
    const [fuzzy] = matcher.scores([0], words('cach kich hoat vnied'), [false, false, false, true]);
    expect(fuzzy).toBeGreaterThan(0.5);
    expect(fuzzy).toBeLessThan('kich hoat vneid'.length / 16);
    // the same words with nothing guessed: no bitap run, no credit
    expect(matcher.scores([0], words('cach kich hoat vnied'), [false, false, false, false])).toEqual([0]);
  });

  it('does not credit a keyword whose near match lies away from the guessed word', () => {
    // "kich hoat vneix" is near the keyword, but the guessed word is far from it
    const text = words('kich hoat vneix roi thi lam sao de xem duoc giay to ngay');
    const guessed = text.map((w) => w === 'ngay');
    expect(matcher.scores([0], text, guessed)).toEqual([0]);
    const near = text.map((w) => w === 'vneix');
    expect(matcher.scores([0], text, near)[0]).toBeGreaterThan(0);
  });

  it('gives nothing for an empty message', () => {
    expect(matcher.scores([0], [], [])).toEqual([0]);
  });
});

describe('analysed query words', () => {
  const index = buildGuideIndex(TINY);

  it('marks typo fixes and unknown words as guessed, known words not', () => {
    const q = index.explain('kich hoat vnied').query;
    expect(q.words).toHaveLength(q.guessed.length);
    expect(q.guessed.filter(Boolean).length).toBeGreaterThan(0);
    expect(q.guessed.slice(0, 2)).toEqual([false, false]);
    expect(index.explain('kich hoat vneid').query.guessed.every((g) => !g)).toBe(true);
  });
});
