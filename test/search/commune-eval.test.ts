// Scoring a commune set: names as sets, "@none" as no names, malformed lines named by number.
import { describe, expect, it } from 'vitest';
import type { CommuneAnswer, CommuneFinder, CommuneUnit } from '../../src/core/communes.ts';
import { communeFires, parseCommuneJsonl, scoreCommunes } from '../../src/search/commune-eval.ts';

const unit = (name: string): CommuneUnit => ({ id: name.toLowerCase(), name, kind: 'xã', formerProvince: 'Cần Thơ', formedFrom: [], unchanged: true, sources: ['https://x.vn'], confirmed: true });
const match = (name: string) => ({ former: { kind: 'xã' as const, name, district: { kind: 'huyện' as const, name: 'H', label: 'huyện H' }, share: 'whole' as const, label: `xã ${name} (huyện H)` }, index: 0, unit: unit(name) });

/** A finder that answers from a table. */
function fake(table: Record<string, CommuneAnswer>): CommuneFinder {
  return { find: (q) => table[q] ?? { kind: 'none' }, pick: () => undefined, units: [] };
}

describe('commune eval', () => {
  const set = [
    '{"q": "a", "expect_commune": "An"}',
    '',
    '{"q": "b", "expect_commune": ["Bê", "Ce"]}',
    '{"q": "c", "expect_commune": "@none"}',
    '{"q": "d", "expect_commune": "Dê"}',
  ].join('\n');

  it('parses names, lists and @none, with line numbers', () => {
    expect(parseCommuneJsonl(set)).toEqual([
      { q: 'a', expect: ['An'], line: 1 },
      { q: 'b', expect: ['Bê', 'Ce'], line: 3 },
      { q: 'c', expect: [], line: 4 },
      { q: 'd', expect: ['Dê'], line: 5 },
    ]);
    expect(() => parseCommuneJsonl('{"q": "x"}\n{"q": "y", "expect_commune": 3}')).toThrow(/line 1: "expect_commune" must be/);
  });

  it('scores right/total: one name answered, several in any order, none; misses carry what was got', () => {
    const finder = fake({
      a: { kind: 'former', match: match('An'), filing: false },
      b: { kind: 'choose', name: 'X', split: false, candidates: [match('Ce'), match('Bê')] },
      c: { kind: 'outside', place: 'Tiền Giang' },
      d: { kind: 'choose', name: 'X', split: false, candidates: [match('Dê'), match('Ê')] },
    });
    const r = scoreCommunes(finder, parseCommuneJsonl(set));
    expect([r.right, r.total]).toEqual([3, 4]);
    expect(r.misses).toEqual([{ q: 'd', expect: ['Dê'], line: 5, got: ['Dê', 'Ê'], kind: 'choose' }]);
    expect(scoreCommunes(undefined, parseCommuneJsonl(set)).right).toBe(1); // no communes.yaml: only "@none" is right
  });

  it('lists the questions of a guide set the finder answers at all', () => {
    const finder = fake({ 'cai khe gio thuoc phuong nao': { kind: 'former', match: match('Cái Khế'), filing: false } });
    expect(communeFires(finder, ['làm căn cước', 'cai khe gio thuoc phuong nao'])).toEqual([{ q: 'cai khe gio thuoc phuong nao', kind: 'former', names: ['Cái Khế'] }]);
    expect(communeFires(undefined, ['x'])).toEqual([]);
  });
});
