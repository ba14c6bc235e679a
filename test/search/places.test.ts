// Where the citizen lives is context: a commune or ward named with its kind word is no content
// word; a former district with its kind word is content but marked as a place.
import { describe, expect, it } from 'vitest';
import type { CommuneUnit } from '../../src/core/communes.ts';
import { communeUnitsOf } from '../../src/core/communes.ts';
import { tokenize } from '../../src/search/normalize.ts';
import { englishPlaceMask, placeMask, placeNames } from '../../src/search/places.ts';

const units: CommuneUnit[] = communeUnitsOf([
  {
    name: 'Lương Tâm',
    kind: 'xã',
    former_province: 'Hậu Giang',
    formed_from: ['xã Lương Nghĩa (huyện Long Mỹ)', 'xã Lương Tâm (huyện Long Mỹ)'],
    sources: ['https://example.org/1668'],
    confirmed: true,
  },
  { name: 'Tân Lộc', kind: 'phường', former_province: 'Cần Thơ', formed_from: [], unchanged: true, former_district: 'quận Thốt Nốt', sources: ['https://example.org/1668'], confirmed: true },
] as never);

const mask = (text: string) => [...placeMask(placeNames(units), tokenize(text).map((t) => t.folded))].join('');

describe('places in a message', () => {
  it('marks a unit named with its kind word, typed with or without marks, for skipping', () => {
    expect(mask('bác ở xã lương tâm thì ra chỗ nào làm')).toBe('0011100000');
    expect(mask('bac o xa luong nghia')).toBe('00111');
    expect(mask('phường Tân Lộc')).toBe('111');
  });

  it('marks a former district with its kind word and the "cũ" after it as a place, not for skipping', () => {
    expect(mask('ổng ở huyện Long Mỹ cũ')).toBe('002222');
    expect(mask('quận Thốt Nốt')).toBe('222');
  });

  it('needs the whole name after the kind word: "xã hội", "phường nào", a name alone are no place', () => {
    expect(mask('bảo hiểm xã hội')).toBe('0000');
    expect(mask('phường nào làm')).toBe('000');
    expect(mask('lương tâm')).toBe('00');
    expect(mask('huyện cũ')).toBe('00');
  });

  it('in English, marks a place after "in/from/at/near" (a province, a unit, a former district, with its kind word), and after "to" only once one was read', () => {
    const en = (text: string) => [...englishPlaceMask(placeNames(units), tokenize(text).map((t) => t.folded))].join('');
    expect(en('my dad in Soc Trang lost his ID card')).toBe('000110000');
    expect(en('a bus from Can Tho to Soc Trang')).toBe('00011011');
    expect(en('we live in Thot Not district')).toBe('000111');
    expect(en('near Tan Loc ward')).toBe('0111');
    // the place asked about keeps its name
    expect(en('what happened to Soc Trang')).toBe('00000');
    expect(en('is Hau Giang part of Can Tho now')).toBe('00000000');
  });
});
