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
