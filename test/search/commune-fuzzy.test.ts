// Misspelt names: edit distance, the per-syllable first-letter guard, ties, marks.
import { describe, expect, it } from 'vitest';
import { editDistance, fuzzyKeys, groupKeys, nearestName, type TypedWord } from '../../src/search/commune-fuzzy.ts';
import { toWords } from '../../src/search/commune-text.ts';

const names = ['Mỹ Khánh', 'Tân Bình', 'Tân Tiến', 'Trà Nóc', 'Cái Răng', 'Thới An Đông', 'Trung Nhứt', 'An Khánh', 'An Thạnh'];
const keys = groupKeys(fuzzyKeys(names.map((n) => toWords(n).map((w) => w.accented))));
const typed = (text: string): TypedWord[] => toWords(text);
const near = (text: string) => nearestName(keys, typed(text))?.key;

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one', () => {
    expect(editDistance('khanh', 'khan', 3)).toBe(1);
    expect(editDistance('khanh', 'khnah', 3)).toBe(1);
    expect(editDistance('noc', 'non', 3)).toBe(1);
    expect(editDistance('abc', 'xyz', 3)).toBe(3);
  });

  it('stops early above the limit', () => {
    expect(editDistance('thoiandong', 'xxxxxxxxxx', 2)).toBe(3);
  });
});

describe('nearestName', () => {
  it('finds a name one letter away, syllable by syllable or glued', () => {
    expect(near('mi khan')).toBe('mi khanh');
    expect(near('tra non')).toBe('tra noc');
    expect(near('cairang')).toBe('cai rang');
  });

  it('allows two edits in a name of ten letters or more', () => {
    expect(near('thoi an dongg')).toBe('thoi an dong');
    expect(near('thoi ann dongg')).toBe('thoi an dong');
    expect(near('tra nocc x')).toBeUndefined();
  });

  it('never changes the first letter of a syllable, except for Southern spelling pairs', () => {
    expect(near('tan dinh')).toBeUndefined(); // not "Tân Bình"
    expect(near('chung nhut')).toBe('trung nhut'); // tr/ch
  });

  it('compares words typed with marks with their marks', () => {
    expect(near('tốn tiền')).toBeUndefined();
    expect(near('ton tien')).toBe('tan tien');
  });

  it('refuses a typo halfway between two names, and text too short to judge', () => {
    expect(near('an thanh')).toBe('an thanh'); // exact (the finder looks exact names up first)
    expect(near('an khannh')).toBe('an khanh');
    expect(near('an kh')).toBeUndefined();
    const two = groupKeys(fuzzyKeys([['long', 'an'], ['long', 'anh']]));
    expect(nearestName(two, typed('long ann'))).toBeUndefined();
  });
});
