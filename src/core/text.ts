/**
 * Small text helpers the engine needs: message templates and a light Vietnamese fold for
 * matching command words. (Full query normalisation for search lives in src/search.)
 */
import type { MessagesFile } from './guide.ts';

/**
 * Folds text for command matching: NFC, lower case, no diacritics, `đ` → `d`, single spaces,
 * surrounding punctuation removed. "Xóa dữ liệu của tôi!" → "xoa du lieu cua toi".
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐð]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Fills `{name}` placeholders of the message `key`. A missing key renders as the key itself
 * (content:check makes sure vi and en have the same keys, so this shows up in tests, not to users).
 */
export function fillMessage(messages: MessagesFile, key: string, vars: Record<string, string | number> = {}): string {
  const template = messages[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The folded alternatives of a `commands.*` message ("a|b|c"). */
export function commandWords(messages: MessagesFile, key: string): string[] {
  return (messages[key] ?? '')
    .split('|')
    .map((w) => foldText(w))
    .filter((w) => w.length > 0);
}

/** Letters only Vietnamese uses among the languages the bot speaks (any tone mark, ă â đ ê ô ơ ư). */
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

/** True when a text is written with Vietnamese diacritics (so it is Vietnamese, whatever else it holds). */
export function hasVietnameseLetters(text: string): boolean {
  return VIETNAMESE_LETTER.test(text.normalize('NFC'));
}

/** A Vietnamese syllable typed without marks: an onset, one to three vowels, a final consonant. */
const SYLLABLE = /^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(ch|nh|ng|[cmnpt])?$/;

/**
 * True when most words of a text without marks could be Vietnamese syllables ("lam sao de chuyen
 * tien"), unlike an English sentence ("what's the weather tomorrow": "what", "weather",
 * "tomorrow" are no syllables). Three quarters of the words, at least.
 */
export function readsAsVietnamese(text: string): boolean {
  const words = foldText(text).split(' ').filter((w) => /^[a-z]+$/.test(w));
  if (words.length === 0) return false;
  return words.filter((w) => SYLLABLE.test(w)).length * 4 >= words.length * 3;
}

/**
 * Bidirectional formatting controls: embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) and the invisible direction marks (U+200E, U+200F, U+061C). An override makes
 * "‮gnp.exe" display as "exe.png"; nothing a citizen or a staff member writes here needs them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** `text` without bidirectional formatting controls, so what is shown reads as it is stored. */
export function neutralizeBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
