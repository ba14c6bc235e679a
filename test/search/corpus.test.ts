import { describe, expect, it } from 'vitest';
import { TermWriter, type TermSink } from '../../src/search/corpus.ts';
import { buildLexicon } from '../../src/search/lexicon.ts';
import { TermTable } from '../../src/search/term-table.ts';
import { makeGuide, TINY } from './tiny-content.ts';

/** A sink that records every (term, field) written. */
function recorder(): TermSink & { written: string[] } {
  const table = new TermTable();
  const written: string[] = [];
  return { table, written, term: (id, field) => written.push(`${field}:${table.terms[id]}`) };
}

describe('TermWriter', () => {
  const lexicon = buildLexicon(TINY.synonyms, TINY.intents);

  it('writes a text met again exactly as the first time, in the field it is met in', () => {
    const sink = recorder();
    const writer = new TermWriter(sink, lexicon);
    const text = 'Nộp hồ sơ cấp BHYT tại UBND xã';
    expect(writer.vietnamese(text, 0, true)).toBe(8);
    const first = sink.written.splice(0);
    // The same text again (a distinct string object, as from another YAML file), in field 2.
    expect(writer.vietnamese([...text].join(''), 2, true)).toBe(8);
    expect(sink.written).toEqual(first.map((t) => t.replace(/^0:/, '2:')));
    expect(first).toContain('0:bhyt');
    expect(first).toContain('0:bao hiem'); // the abbreviation's meaning, with its pairs
    expect(first).toContain('0:~nộp');
    expect(first).toContain('0:nop ho');
  });

  it('keeps plain (no accents, no pairs) and full writes of one text apart', () => {
    const sink = recorder();
    const writer = new TermWriter(sink, lexicon);
    writer.vietnamese('Nộp hồ sơ', 4, false);
    expect(sink.written).toEqual(['4:nop', '4:ho', '4:so']);
    sink.written.length = 0;
    writer.vietnamese('Nộp hồ sơ', 1, true);
    expect(new Set(sink.written)).toEqual(new Set(['1:nop', '1:~nộp', '1:ho', '1:~hồ', '1:nop ho', '1:so', '1:~sơ', '1:ho so']));
  });

  it('writes English stems and pairs, the same on a repeat', () => {
    const sink = recorder();
    const writer = new TermWriter(sink, lexicon);
    expect(writer.englishText('Renew the health insurance card', 5)).toBe(5);
    const first = sink.written.splice(0);
    expect(writer.englishText('Renew the health insurance card', 6)).toBe(5);
    expect(sink.written).toEqual(first.map((t) => t.replace(/^5:/, '6:')));
    expect(first.length).toBeGreaterThan(4);
  });

  it('writes English steps and papers without pairs', () => {
    const sink = recorder();
    const writer = new TermWriter(sink, lexicon);
    writer.englishText('An activated VNeID account', 6, false);
    expect(sink.written).toEqual(['6:en:activat', '6:en:vneid', '6:en:account']);
    sink.written.length = 0;
    writer.englishText('An activated VNeID account', 6, true);
    expect(sink.written).toContain('6:en:activat en:vneid');
  });

  it('indexes English keywords with the English title (field 5), with pairs', () => {
    const sink = recorder();
    const writer = new TermWriter(sink, lexicon);
    const g = makeGuide({ id: 'x', title: 'Tạm trú', keywords: [], questions: [] });
    writer.guide({ ...g, en: { ...g.en, title: 'Temporary residence', keywords: ['rented room'] } });
    expect(sink.written).toContain('5:en:rent');
    expect(sink.written).toContain('5:en:rent en:room');
  });
});
