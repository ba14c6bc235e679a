import { describe, expect, it } from 'vitest';
import { canonicalSyllable, foldSyllable, foldText, normToken, normalizeText, tokenize } from '../../src/search/normalize.ts';

const keys = (s: string) => tokenize(s).map((t) => `${t.accented}/${t.folded}`);

describe('normalisation', () => {
  it('treats decomposed (NFD) input like composed (NFC) input', () => {
    const nfd = 'Đăng ký khai sinh'.normalize('NFD');
    expect(nfd).not.toBe('Đăng ký khai sinh');
    expect(keys(nfd)).toEqual(keys('Đăng ký khai sinh'));
  });

  it('turns the look-alike Ð/ð (eth) into đ, and lower-cases', () => {
    expect(normalizeText('ÐĂNG Ðð')).toBe('đăng đđ');
    expect(tokenize('ÐƯỜNG')[0]!.accented).toBe('đường');
  });

  it('folds đ to d, which Unicode decomposition does not do', () => {
    expect('đ'.normalize('NFD')).toBe('đ');
    expect(foldSyllable('đường')).toBe('duong');
    expect(foldText('Đăng ký ĐỊNH DANH')).toBe('dang ki dinh danh');
  });

  it('keeps the accented key beside the folded one', () => {
    expect(normToken('căn')).toEqual({ accented: 'căn', folded: 'can', hasMarks: true });
    expect(normToken('can')).toEqual({ accented: 'can', folded: 'can', hasMarks: false });
    expect(normToken('cần').accented).not.toBe(normToken('căn').accented);
  });

  it('gives old and new tone placement the same key (hòa/hoà, thủy/thuỷ, khỏe/khoẻ)', () => {
    expect(canonicalSyllable('hòa')).toBe(canonicalSyllable('hoà'));
    expect(canonicalSyllable('thủy')).toBe(canonicalSyllable('thuỷ'));
    expect(canonicalSyllable('khỏe')).toBe(canonicalSyllable('khoẻ'));
    expect(canonicalSyllable('hóa')).not.toBe(canonicalSyllable('hòa'));
    // words with a modified vowel or a final consonant are unaffected
    expect(canonicalSyllable('người')).toBe('người');
    expect(canonicalSyllable('hoàn')).toBe('hoàn');
  });

  it('unifies the i/y spellings after a consonant (kỳ/kì, lý/lí)', () => {
    expect(normToken('kỳ')).toEqual(normToken('kì'));
    expect(normToken('lý').folded).toBe('li');
    expect(normToken('tay').folded).toBe('tay'); // "ay" is a different vowel: untouched
  });

  it('writes a held-down letter once ("hiii", "okkk", "nhaaa"), but keeps Roman numerals and digits', () => {
    expect(tokenize('hiii okkk nhaaa cảm ơnnn').map((t) => t.folded)).toEqual(['hi', 'ok', 'nha', 'cam', 'on']);
    expect(tokenize('phường III, XIII, 1000').map((t) => t.folded)).toEqual(['phuong', 'iii', 'xiii', '1000']);
    expect(tokenize('kỳ hạn hoàn thành').map((t) => t.folded)).toEqual(['ki', 'han', 'hoan', 'thanh']);
  });

  it('splits on punctuation and keeps digits', () => {
    expect(tokenize('ct07, dichvucong.gov.vn (mức 2)').map((t) => t.folded)).toEqual([
      'ct07',
      'dichvucong',
      'gov',
      'vn',
      'muc',
      '2',
    ]);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('?!')).toEqual([]);
  });
});
