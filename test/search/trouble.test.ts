// The trouble signs (intents.yaml `trouble`): what reads as a report of something going wrong.
import { describe, expect, it } from 'vitest';
import { buildLexicon } from '../../src/search/lexicon.ts';
import { reportsTrouble } from '../../src/search/trouble.ts';
import { TINY } from './tiny-content.ts';

describe('trouble signs', () => {
  const lexicon = buildLexicon(
    { ...TINY.synonyms, stopwords: ['ạ', 'vậy', 'em'] },
    { ...TINY.intents, trouble: { words: ['hoài', 'mãi', 'bị treo', 'still'], negations: ['không', 'ko', 'won t'], not_before: ['có', 'hay'] } },
  );
  const reports = (text: string) => reportsTrouble(lexicon.trouble, lexicon.stopwords, text);

  it('reads a trouble word, and a negation followed by a real word, with or without marks', () => {
    expect(reports('quét hoài')).toBe(true);
    expect(reports('app bị treo')).toBe(true);
    expect(reports('ko nhận')).toBe(true);
    expect(reports('khong nhan duoc ma')).toBe(true);
    expect(reports("it still won't load")).toBe(true);
    expect(reports("it won't load")).toBe(true);
  });

  it('a question that ends in "không", is followed by padding or a not_before word, asks and reports nothing', () => {
    expect(reports('có mất tiền không')).toBe(false);
    expect(reports('có mất tiền không ạ')).toBe(false);
    expect(reports('được không vậy em')).toBe(false);
    expect(reports('có cần ra đó không hay làm ở nhà')).toBe(false);
    expect(reports('không có gì')).toBe(false);
  });

  it('reads each clause apart: a question\'s last "không" does not join the next clause', () => {
    expect(reports('còn hạn không, coi giùm')).toBe(false);
    expect(reports('còn hạn không coi giùm')).toBe(true);
  });

  it('a one-word sign listed with marks must be typed with them: "mai" (tomorrow) is not "mãi"', () => {
    expect(reports('mai có mưa')).toBe(false);
    expect(reports('mai co mua')).toBe(false);
    expect(reports('chờ mãi')).toBe(true);
  });
});

describe('one-word intent phrases typed with marks', () => {
  it('must be typed with the marks they are listed with: "mơn" is thanks, "Môn" (Ô Môn) is not; without marks either reads', async () => {
    const { buildGuideIndex } = await import('../../src/search/index.ts');
    const index = buildGuideIndex({ ...TINY, intents: { intents: { ...TINY.intents.intents, thanks: { phrases: ['mơn', 'cảm ơn'] } } } });
    const intents = (q: string) => index.explain(q).query.intents;
    expect(intents('mơn nhiều nha')).toContain('thanks');
    expect(intents('lịch cúp điện ở Ô Môn tuần này')).not.toContain('thanks');
    expect(intents('mon nhieu nha')).toContain('thanks');
    expect(intents('cam on nhieu')).toContain('thanks');
  });
});
