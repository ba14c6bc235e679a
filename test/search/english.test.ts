import { describe, expect, it } from 'vitest';
import { englishTerm, stemEnglish } from '../../src/search/english.ts';
import { buildGuideIndex } from '../../src/search/index.ts';
import { makeGuide, TINY } from './tiny-content.ts';

describe('English stemming', () => {
  it('strips regular endings', () => {
    expect(stemEnglish('fees')).toBe('fee');
    expect(stemEnglish('renting')).toBe('rent');
    expect(stemEnglish('stopped')).toBe('stop');
    expect(stemEnglish('cities')).toBe('city');
  });

  it('reads a child named as the citizen\'s own ("my daughter", "our kids", "children") as the guides\' "child"', () => {
    for (const w of ['daughter', 'sons', 'kids', 'children', 'baby', 'toddler', 'grandson']) expect(stemEnglish(w)).toBe('child');
    expect(stemEnglish('season')).toBe('season');
  });

  it('reads the person concerned ("my wife\'s file", "my mother") as context, like "bà nội" in Vietnamese', () => {
    for (const w of ['wife', 'husband', 'mother', 'parents', 'grandma']) expect(englishTerm(w)).toBeUndefined();
    expect(englishTerm('child')).toBe('en:child');
  });

  it('drops pronouns, contractions, fillers, other people and the story\'s times ("her", "doesn\'t", "a friend", "two weeks ago")', () => {
    for (const w of ['her', 'his', 'doesn', 'dont', 're', 'actually', 'anymore', 'neighbour', 'friend', 'cousin', 'weeks', 'ago', 'question', 'more']) {
      expect(englishTerm(w)).toBeUndefined();
    }
    // a day asked about is no story: "what's the weather tomorrow" keeps a word no guide has
    expect(englishTerm('tomorrow')).toBe('en:tomorrow');
  });

  it('meets the guides\' words for "cost", "dossier", "center", "marry", "merged"', () => {
    expect(stemEnglish('cost')).toBe(stemEnglish('fee'));
    expect(stemEnglish('dossier')).toBe(stemEnglish('file'));
    expect(stemEnglish('center')).toBe(stemEnglish('centre'));
    expect(stemEnglish('marry')).toBe(stemEnglish('married'));
    expect(stemEnglish('merged')).toBe(stemEnglish('merger'));
  });

  it('keeps numbers as English terms ("level 2" meets "level-2")', () => {
    expect(englishTerm('2')).toBe('en:2');
    expect(englishTerm('2025')).toBe('en:2025');
    expect(englishTerm('the')).toBeUndefined();
  });

  it('maps irregular verb forms to one base', () => {
    expect(stemEnglish('forgot')).toBe('forget');
    expect(stemEnglish('forgotten')).toBe(stemEnglish('forget'));
    expect(stemEnglish('lost')).toBe(stemEnglish('lose'));
    expect(stemEnglish('paid')).toBe('pay');
    expect(stemEnglish('gave')).toBe(stemEnglish('giving'));
  });

  it('meets a verb with its -ed, -ing and procedure noun forms, and keeps double-e words', () => {
    for (const [a, b] of [
      ['activate', 'activated'],
      ['activate', 'activation'],
      ['register', 'registration'],
      ['renew', 'renewal'],
      ['change', 'changing'],
      ['issue', 'issued'],
      ['pay', 'payments'],
    ]) {
      expect(stemEnglish(a!), `${a} ~ ${b}`).toBe(stemEnglish(b!));
    }
    expect(stemEnglish('fee')).toBe('fee');
    expect(stemEnglish('free')).toBe('free');
    expect(stemEnglish('card')).not.toBe(stemEnglish('care'));
  });

  it('drops function words and non-ASCII words', () => {
    expect(englishTerm('the')).toBeUndefined();
    expect(englishTerm('thẻ')).toBeUndefined();
    expect(englishTerm('card')).toBe('en:card');
  });
});

describe('English questions', () => {
  const index = buildGuideIndex(TINY);

  it('weighs an unknown English word less than an unknown Vietnamese word', () => {
    const en = index.explain('how do I replace my identity card xyzzyq').query;
    const vi = index.explain('lam lai the can cuoc xyzzyq').query;
    const weightOf = (q: typeof en) => q.slots.find((s) => s.text === 'xyzzyq')!.weight;
    expect(en.english).toBe(true);
    expect(vi.english).toBe(false);
    expect(weightOf(en)).toBeLessThan(weightOf(vi));
  });

  it("finds a guide's English keyword phrase as stems, without function words or single letters", () => {
    const guide = (id: string, title: string, en: string, keywords: string[]) =>
      makeGuide({ id, title, keywords: [], questions: [], en: { title: en, keywords, summary: en, steps: [{ text: 'Pay.' }] } });
    const small = buildGuideIndex({
      ...TINY,
      guideList: [
        guide('hospital', 'Viện phí', 'Hospital fees', ['pay by e-wallet at the hospital']),
        guide('market', 'Chợ', 'Market', ['pay at the market', 'wallet app']),
      ],
    });
    const e = small.explain('how can I pay with an e-wallet at the hospital');
    expect(e.query.english).toBe(true);
    expect(e.candidates[0]?.id).toBe('hospital');
    expect(e.candidates[0]?.keyword).toBeGreaterThan(0);
    // words apart are no phrase
    expect(small.explain('pay the hospital, I have a wallet').candidates.find((c) => c.id === 'hospital')?.keyword).toBe(0);
  });

  it('reads an age under 14 as "child" and an older age as context ("my 3-year-old", "a 4 yo", "aged 10")', () => {
    const words = (q: string) => index.explain(q).query.slots.map((s) => s.text);
    for (const q of ['an ID card for my 3-year-old', 'an ID card for our 4 yo', 'an ID card, she is aged 10', 'ID card for my 8 months old']) {
      expect(words(q)).toEqual(['id', 'card', 'child']);
    }
    // the child named already is named once; 14 and over is no child
    expect(words('ID card for my 8 year old daughter')).toEqual(['id', 'card', 'daughter']);
    expect(words('ID card for my 15 year old')).toEqual(['id', 'card']);
    // "4yo" typed in one piece
    expect(words('ID card for my 4yo')).toEqual(['id', 'card', 'child']);
  });

  it('finds a two-word English keyword phrase with one word inside it', () => {
    const small = buildGuideIndex({
      ...TINY,
      guideList: [makeGuide({ id: 'vehicle', title: 'Đăng ký xe', keywords: [], questions: [], en: { title: 'Vehicles', keywords: ['register motorbike'], summary: 'A new or a used vehicle', steps: [{ text: 'Go.' }] } })],
    });
    const keyword = (q: string) => small.explain(q).candidates.find((c) => c.id === 'vehicle')?.keyword ?? 0;
    expect(keyword('how do I register my motorbike')).toBeGreaterThan(0);
    expect(keyword('how do I register my new motorbike')).toBeGreaterThan(0);
  });
});
