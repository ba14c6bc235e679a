import { describe, expect, it } from 'vitest';
import { buildGuideIndex } from '../../src/search/index.ts';
import { TINY } from './tiny-content.ts';

const index = buildGuideIndex(TINY);
const readings = (q: string) =>
  index.explain(q).query.slots.map((s) => s.alts.map((a) => a.words.map((w) => w.term).join(' ')));

describe('abbreviations, synonyms and stop words', () => {
  it('expands an abbreviation (whole words only)', () => {
    expect(readings('cccd')).toEqual([['can cuoc cong dan']]);
    expect(readings('bhyt')[0]).toContain('bao hiem y te');
    expect(readings('cccdx')[0]).not.toContain('can cuoc cong dan');
  });

  it('expands an ambiguous abbreviation to every meaning', () => {
    expect(readings('dk')[0]).toEqual(['dang ki', 'dieu kien']);
    expect(index.search('dk ket hon').guides[0]?.id).toBe('marriage');
    expect(index.search('dk du thi chung chi hanh nghe').guides[0]?.id).toBe('exam-conditions');
  });

  it('drops query stop words and stop phrases, but only the words they are', () => {
    expect(index.explain('cho hỏi đăng ký kết hôn như thế nào ạ').query.normalized).toBe('dang ki ket hon');
    // "thế" is padding, "thẻ" is a card: both fold to "the"
    expect(index.explain('thế').query.slots).toHaveLength(0);
    expect(index.explain('thẻ').query.slots).toHaveLength(1);
    // an abbreviation meaning only stop words disappears
    expect(index.explain('ntn').query.slots).toHaveLength(0);
  });

  it('counts a word said twice once (long messages repeat "coi", "tôi", "làm")', () => {
    const once = index.explain('kich hoat vneid coi giup');
    const twice = index.explain('coi kich hoat vneid coi giup');
    expect(twice.query.slots.filter((s) => s.text === 'coi').map((s) => s.repeat === true)).toEqual([false, true]);
    expect(twice.candidates[0]?.id).toBe(once.candidates[0]?.id);
    expect(twice.candidates[0]?.focus).toBeCloseTo(once.candidates[0]!.focus, 6);
  });

  it('fixes a typo when a neighbouring word vouches for the fix', () => {
    expect(index.search('dang ky tamm tru').guides[0]?.id).toBe('residence-temporary');
  });

  it('answers English questions from the English text', () => {
    const e = index.explain('How do I activate my VNeID account?');
    expect(e.query.english).toBe(true);
    expect(e.result.guides[0]?.id).toBe('vneid-activate');
  });
});

describe('numbers said in words', () => {
  const tokens = (q: string) => index.explain(q).query.tokens.join(' ');

  it('reads an age said in words before "tuổi" as its number ("hai mươi lăm tuổi" → 25)', () => {
    expect(tokens('năm nay em hai mươi lăm tuổi')).toBe('nam nay em 25 tuoi');
    expect(tokens('bé mười bốn tuổi')).toBe('be 14 tuoi');
    expect(tokens('mẹ tôi sáu mốt tuổi')).toBe('me toi 61 tuoi');
    expect(tokens('con tôi năm tuổi')).toBe('con toi 5 tuoi');
    expect(tokens('hai lăm tuổi')).toBe('25 tuoi');
    // elsewhere "năm" is a year and "ba" a father
    expect(tokens('năm nay ba tôi đi làm')).toBe('nam nay ba toi di lam');
  });

  it('reads a VNeID level said in words as its number ("mức hai" → "mức 2"), not "mục hai"', () => {
    expect(tokens('lên mức hai')).toBe('len muc 2');
    expect(tokens('len muc mot')).toBe('len muc 1');
    expect(tokens('mục hai')).toBe('muc hai');
  });
});
