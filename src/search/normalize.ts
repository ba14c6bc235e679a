/**
 * Vietnamese text normalisation: one canonical accented key and one folded key per word.
 *
 * Rules (each has a unit test in test/search/normalize.test.ts):
 * - NFC; the look-alike Ð/ð (U+00D0/U+00F0, Icelandic eth) becomes đ; lower case.
 * - Tone placement: "hòa" and "hoà", "thủy" and "thuỷ" get the same key (the tone mark is
 *   moved to one canonical vowel, the "new style" rule).
 * - i/y spelling variants after a consonant ("kỳ"/"kì", "lý"/"lí") share one key.
 * - Folded key: every combining mark removed and đ → d (Unicode decomposition leaves đ alone).
 */

/** One word of a text, in its two keys. */
export interface NormToken {
  /** Canonical accented form (lower case, NFC, canonical tone placement). */
  readonly accented: string;
  /** Folded form: no diacritics, đ → d. Matching happens on this key. */
  readonly folded: string;
  /** True when the citizen typed diacritics (or đ) in this word. */
  readonly hasMarks: boolean;
}

/** The five tone marks as combining characters (grave, acute, tilde, hook above, dot below). */
const TONE_MARK = /[\u0300\u0301\u0303\u0309\u0323]/g;
const VOWELS = 'aăâeêioôơuưy';
const MODIFIED_VOWELS = 'ăâêôơư';
/** Onsets after which a lone y is spelt interchangeably with i (kỳ/kì, lý/lí, quý/quí). */
const I_Y_SYLLABLE = /^(b|c|ch|d|đ|g|h|k|kh|l|m|n|ng|nh|p|ph|qu|r|s|t|th|tr|v|x)y$/;

function isVowel(ch: string | undefined): boolean {
  return ch !== undefined && VOWELS.includes(ch);
}

/** Index of the vowel that carries the tone in a tone-less lower-case syllable, or -1. */
function tonePosition(chars: readonly string[]): number {
  const len = chars.length;
  let start = 0;
  // "qu" and "gi" + vowel: the u / i belongs to the onset, not the nucleus.
  if ((chars[0] === 'q' && chars[1] === 'u') || (chars[0] === 'g' && chars[1] === 'i')) {
    if (isVowel(chars[2])) start = 2;
  }
  let i = start;
  while (i < len && !isVowel(chars[i])) i++;
  if (i === len) return -1;
  let j = i;
  while (j < len && isVowel(chars[j])) j++;
  for (let k = j - 1; k >= i; k--) if (MODIFIED_VOWELS.includes(chars[k]!)) return k;
  const n = j - i;
  if (n === 1) return i;
  if (j < len) return j - 1; // a final consonant follows: tone on the last vowel (hoàn, thuyết)
  if (n >= 3) return i + 1; // ngoài, khuỷu
  const pair = chars[i]! + chars[i + 1]!;
  return pair === 'oa' || pair === 'oe' || pair === 'uy' ? i + 1 : i; // hoà, khoẻ, thuỷ; mái, mùa
}

/**
 * Canonical accented form of one lower-case NFC word: tone mark moved to the canonical vowel,
 * i/y variants unified. Words without a tone mark only get the i/y rule.
 */
export function canonicalSyllable(word: string): string {
  const nfd = word.normalize('NFD');
  const tones = nfd.match(TONE_MARK);
  let base = tones ? nfd.replace(TONE_MARK, '').normalize('NFC') : word;
  if (I_Y_SYLLABLE.test(base)) base = base.slice(0, -1) + 'i';
  if (!tones) return base;
  const chars = [...base];
  const pos = tonePosition(chars);
  if (pos < 0) return base;
  const tone = tones[tones.length - 1]!;
  chars[pos] = (chars[pos]! + tone).normalize('NFC');
  return chars.join('');
}

/** Folded key of a word already canonical: no marks, đ → d. */
export function foldSyllable(accented: string): string {
  let out = accented.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
  if (I_Y_SYLLABLE.test(out)) out = out.slice(0, -1) + 'i';
  return out;
}

/** NFC, Ð/ð → đ, lower case. The first step for any text (query or content). */
export function normalizeText(text: string): string {
  // Without combining marks a text is already composed: skip the (costly) NFC pass.
  const nfc = COMBINING.test(text) ? text.normalize('NFC') : text;
  return (ETH.test(nfc) ? nfc.replace(ETH_ALL, 'đ') : nfc).toLowerCase();
}

const COMBINING = /[\u0300-\u036f]/;
const ETH = /[Ðð]/;
const ETH_ALL = /[Ðð]/g;

const ELONGATED = /([a-zđ])\1\1/;
const ELONGATED_ALL = /([a-zđ])\1{2,}/g;
const ROMAN = /^[ivxlcdm]+$/;

/** Words seen recently → their keys. Vietnamese has a few thousand syllables: most hit. */
const cache = new Map<string, NormToken>();
/** Cache bound (entries); cleared when full, so odd inputs cannot grow it without limit. */
const CACHE_LIMIT = 50_000;

/** Both keys of one word (the word must already be normalised with `normalizeText`). */
export function normToken(word: string): NormToken {
  let t = cache.get(word);
  if (t) return t;
  // A letter held down ("hiii", "okkk", "nhaaa") is written once: no Vietnamese or English word
  // has a letter three times in a row. Roman numerals ("phường III", "XIII") stay as they are.
  const held = ELONGATED.test(word) && !ROMAN.test(word);
  const accented = canonicalSyllable(held ? word.replace(ELONGATED_ALL, '$1') : word);
  const folded = foldSyllable(accented);
  t = { accented, folded, hasMarks: accented !== folded };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, t);
  return t;
}

/**
 * True for the characters words are made of: ASCII letters and digits, Latin letters with
 * diacritics (Latin-1, Extended-A/B, Extended Additional, where Vietnamese lives) and combining
 * marks. A hand-written test: this runs for every character of every guide at build time.
 */
function isWordChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
  return (
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x300 && c <= 0x36f) ||
    (c >= 0x1e00 && c <= 0x1eff) ||
    (c >= 0x370 && c <= 0x52f) // Greek, Cyrillic: kept as words rather than dropped
  );
}

/**
 * Calls `fn` with each word (run of letters and digits) of a text already normalised with
 * `normalizeText`, in order.
 */
export function forEachWord(normalized: string, fn: (word: string) => void): void {
  let start = -1;
  for (let i = 0; i <= normalized.length; i++) {
    const inWord = i < normalized.length && isWordChar(normalized.charCodeAt(i));
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      fn(normalized.slice(start, i));
      start = -1;
    }
  }
}

/** Splits text into words (letters and digits) and normalises each. Never throws. */
export function tokenize(text: string): NormToken[] {
  const out: NormToken[] = [];
  forEachWord(normalizeText(text), (w) => out.push(normToken(w)));
  return out;
}

/** The folded form of a whole text, words joined by single spaces. */
export function foldText(text: string): string {
  return tokenize(text)
    .map((t) => t.folded)
    .join(' ');
}
