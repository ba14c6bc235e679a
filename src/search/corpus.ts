/**
 * Turns guides into index terms: which text goes into which field, and how a text becomes
 * terms (folded syllables, accented syllables, adjacent pairs, English stems).
 */
import type { Guide } from '../core/guide.ts';
import type { FieldSpec } from './bm25.ts';
import { englishTerm } from './english.ts';
import type { Lexicon } from './lexicon.ts';
import { tokenize, type NormToken } from './normalize.ts';

/** Prefix of accented-syllable terms (present only for words written with diacritics). */
export const ACCENT_PREFIX = '~';

/** Field numbers (bit positions in posting masks). */
export const F_TITLE = 0;
export const F_KEYWORDS = 1;
export const F_QUESTIONS = 2;
export const F_SUMMARY = 3;
export const F_BODY = 4;
export const F_EN_TITLE = 5;
export const F_EN_BODY = 6;

/** Bit mask of the short, curated fields (title, keywords, sample questions, English title). */
export const SHORT_FIELDS = (1 << F_TITLE) | (1 << F_KEYWORDS) | (1 << F_QUESTIONS) | (1 << F_EN_TITLE);

/**
 * Field weights: curated short fields count most, long step text least. `credit` says how much
 * a word found only in that field shows the guide is about it (a word met only somewhere in the
 * steps is weak evidence: "hôm nay" in a step does not make a guide about today's gold price).
 */
export const FIELDS: readonly FieldSpec[] = [
  { name: 'title', weight: 3, b: 0.5, credit: 1 },
  { name: 'keywords', weight: 3, b: 0.3, credit: 1 },
  { name: 'questions', weight: 1.5, b: 0.6, credit: 0.7 },
  { name: 'summary', weight: 1, b: 0.75, credit: 0.7 },
  { name: 'body', weight: 0.4, b: 0.75, credit: 0.35 },
  { name: 'en-title', weight: 2.5, b: 0.5, credit: 1 },
  { name: 'en-body', weight: 1, b: 0.75, credit: 0.6 },
];

/** The texts of one guide, by field. */
export function guideTexts(g: Guide): string[][] {
  const body: string[] = [];
  for (const s of g.steps) body.push(s.text, s.detail ?? '');
  body.push(...g.documents, g.fees ?? '', g.processing_time ?? '');
  for (const p of g.where) body.push(p.name, p.note ?? '');
  for (const c of g.contacts) body.push(c.name, c.note ?? '');
  const enBody: string[] = [g.en.summary];
  for (const s of g.en.steps) enBody.push(s.text, s.detail ?? '');
  enBody.push(...(g.en.documents ?? []));
  return [[g.title], g.keywords, g.questions, [g.summary], body, [g.en.title], enBody];
}

/** Bigram term of two folded words. */
export function pairTerm(a: string, b: string): string {
  return a + ' ' + b;
}

function pushWords(out: string[], toks: readonly NormToken[]): void {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    out.push(t.folded);
    if (t.hasMarks) out.push(ACCENT_PREFIX + t.accented);
    if (i > 0) out.push(pairTerm(toks[i - 1]!.folded, t.folded));
  }
}

/**
 * Vietnamese terms of one text. Unambiguous abbreviations in the text ("BHYT") also index
 * their meaning ("bảo hiểm y tế"), so a citizen typing either finds the guide.
 */
export function vietnameseTerms(text: string, lexicon: Lexicon, out: string[] = []): { terms: string[]; words: number } {
  const toks = tokenize(text);
  pushWords(out, toks);
  const folded = toks.map((t) => t.folded);
  for (let i = 0; i < toks.length; i++) {
    if (!lexicon.synonyms.startsWith(folded[i]!)) continue;
    const m = lexicon.synonyms.matchAt(folded, i);
    if (m && m.value.length === 1) pushWords(out, m.value[0]!);
  }
  return { terms: out, words: toks.length };
}

/** English terms of one text (stems, function words dropped). */
export function englishTerms(text: string, out: string[] = []): { terms: string[]; words: number } {
  const toks = tokenize(text);
  for (const t of toks) {
    const term = englishTerm(t.folded);
    if (term) out.push(term);
  }
  return { terms: out, words: toks.length };
}

/** Terms and lengths of every field of a guide, ready for `Bm25Builder.add`. */
export function guideTerms(g: Guide, lexicon: Lexicon): { terms: string[][]; lengths: number[] } {
  const texts = guideTexts(g);
  const terms: string[][] = [];
  const lengths: number[] = [];
  texts.forEach((values, f) => {
    const out: string[] = [];
    let words = 0;
    for (const v of values) {
      if (!v) continue;
      words += (f >= F_EN_TITLE ? englishTerms(v, out) : vietnameseTerms(v, lexicon, out)).words;
    }
    terms.push(out);
    lengths.push(words);
  });
  return { terms, lengths };
}
