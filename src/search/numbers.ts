/**
 * Numbers written as citizens write them, read as the guides write them: an age typed in one
 * piece ("con 14t"), said in words ("hai mươi lăm tuổi"), a VNeID level in words ("mức hai"), and
 * an English age ("my 3-year-old"), which is context, not the topic. Pure.
 */
import { stemEnglish } from './english.ts';
import { normToken, type NormToken } from './normalize.ts';

/** A clause's words with its ages and levels read as numbers ("con 14t", "hai mươi lăm tuổi", "mức hai"). */
export function readNumbers(toks: NormToken[]): NormToken[] {
  return levelNumbers(spokenAges(splitAges(toks)));
}

/** An age typed in one piece: "14t", "6tuoi" (a number of years, not a word). */
const AGE = /^(\d{1,3})(?:t|tuoi)$/;
const YEARS = normToken('tuổi');

/** "con 14t" → "con 14 tuổi": the number and the word the guides write. */
function splitAges(toks: NormToken[]): NormToken[] {
  if (!toks.some((t) => AGE.test(t.folded))) return toks;
  return toks.flatMap((t) => {
    const m = AGE.exec(t.folded);
    return m ? [normToken(m[1]!), YEARS] : [t];
  });
}

const CHILD = normToken('child');
const EN_AGE_ONE = /^(\d{1,2})(?:yo|yrs?|yrso)$/;
const EN_YEAR = new Set(['year', 'years', 'yr', 'yrs']);
const EN_MONTH = new Set(['month', 'months']);

/**
 * An English age ("my 3-year-old daughter", "a 4 yo", "aged 10", "8 months old") is context,
 * not words of the topic: under 14 it says "child", as the guides do; 14 and over nothing.
 */
export function englishAges(toks: readonly NormToken[]): readonly NormToken[] {
  const f = (i: number) => toks[i]?.folded ?? '';
  const out: NormToken[] = [];
  for (let i = 0; i < toks.length; ) {
    let years: number | undefined;
    let n = 0;
    const one = EN_AGE_ONE.exec(f(i));
    if (one) [years, n] = [Number(one[1]), 1];
    else if (/^\d{1,2}$/.test(f(i))) {
      const unit = f(i + 1);
      const months = EN_MONTH.has(unit);
      if ((EN_YEAR.has(unit) || months) && f(i + 2) === 'old') [years, n] = [months ? 0 : Number(f(i)), 3];
      else if (unit === 'yo') [years, n] = [Number(f(i)), 2];
    } else if (f(i) === 'aged' && /^\d{1,2}$/.test(f(i + 1))) [years, n] = [Number(f(i + 1)), 2];
    if (years === undefined) {
      out.push(toks[i]!);
      i++;
      continue;
    }
    i += n;
    // "my 8 year old child": the child is named already
    if (years < 14 && stemEnglish(f(i)) !== 'child') out.push(CHILD);
  }
  return out;
}

/** Digits said as words (folded): "năm" and "lăm" are 5, "tư" 4, "mốt" 1 after a ten. */
const DIGIT_WORDS: ReadonlyMap<string, number> = new Map([
  ['mot', 1], ['hai', 2], ['ba', 3], ['bon', 4], ['tu', 4], ['nam', 5], ['lam', 5], ['sau', 6], ['bay', 7], ['tam', 8], ['chin', 9],
]);

/**
 * An age said in words, as voice typing writes it ("hai mươi lăm tuổi", "mười bốn tuổi", "sáu
 * mốt tuổi") → the number the guides write ("25 tuổi"). Only right before "tuổi": elsewhere "năm"
 * is a year and "ba" a father.
 */
function spokenAges(toks: NormToken[]): NormToken[] {
  if (!toks.some((t, i) => i > 0 && t.folded === 'tuoi')) return toks;
  const out: NormToken[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (toks[i]!.folded !== 'tuoi') {
      out.push(toks[i]!);
      continue;
    }
    // the number words right before "tuổi", at most three ("hai mươi lăm")
    let from = out.length;
    while (from > 0 && out.length - from < 3 && (DIGIT_WORDS.has(out[from - 1]!.folded) || out[from - 1]!.folded === 'muoi')) from--;
    const value = spokenNumber(out.slice(from).map((t) => t.folded));
    if (value !== undefined) out.splice(from, out.length - from, normToken(String(value)));
    out.push(toks[i]!);
  }
  return out;
}

/** 1–99 from number words (folded): "muoi bon" 14, "hai muoi lam" 25, "sau mot" 61, "nam" 5. */
function spokenNumber(w: readonly string[]): number | undefined {
  const d = (x: string | undefined) => (x === undefined ? undefined : DIGIT_WORDS.get(x));
  if (w.length === 1) return d(w[0]);
  if (w[0] === 'muoi') return w.length === 2 && d(w[1]) !== undefined ? 10 + d(w[1])! : undefined;
  const tens = d(w[0]);
  if (tens === undefined || tens < 2) return undefined;
  if (w[1] === 'muoi') return w.length === 2 ? tens * 10 : w.length === 3 && d(w[2]) !== undefined ? tens * 10 + d(w[2])! : undefined;
  return w.length === 2 && d(w[1]) !== undefined ? tens * 10 + d(w[1])! : undefined;
}

/** Levels of a VNeID account said in words, as typed with marks and without. */
const LEVEL_WORDS: ReadonlyMap<string, NormToken> = new Map([
  ['một', normToken('1')],
  ['hai', normToken('2')],
]);
const LEVEL_WORDS_FOLDED: ReadonlyMap<string, NormToken> = new Map([...LEVEL_WORDS].map(([w, t]) => [normToken(w).folded, t]));

/** "lên mức hai" → "lên mức 2": a level said in words is the number the guides write ("mục hai" is a section). */
function levelNumbers(toks: NormToken[]): NormToken[] {
  if (!toks.some((t) => t.folded === 'muc')) return toks;
  return toks.map((t, i) => {
    const before = toks[i - 1];
    if (!before || before.folded !== 'muc' || before.accented === 'mục') return t;
    // with marks only "một"/"hai" themselves ("mót" is no "một"); without, their folded forms
    return LEVEL_WORDS.get(t.accented) ?? (t.hasMarks ? t : (LEVEL_WORDS_FOLDED.get(t.folded) ?? t));
  });
}
