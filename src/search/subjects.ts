/**
 * Two checks of what a question names against what a guide is about: the apps and systems it
 * names (VNeID, VssID…) and the numbers it gives a word ("mức 1" is not "mức 2").
 */
import { EN_PREFIX } from './english.ts';
import type { Lexicon } from './lexicon.ts';
import { tokenize } from './normalize.ts';
import type { AnalysedQuery } from './query-types.ts';

/**
 * Factor on the score and focus of a guide whose title names only other subjects (apps,
 * systems) than the one the question names: "vneid báo sai mật khẩu" is not about VssID,
 * however alike the rest of the words.
 */
export const OTHER_SUBJECT = 0.6;
/**
 * Weight of a guide that names no app in its title and does not mention the one the question
 * names in its keywords either ("app vneid báo lỗi xác thực khuôn mặt" is not the bank-account
 * guide, though its face check shares the words). Milder: the guide may still be the answer.
 */
export const UNMENTIONED_SUBJECT = 0.7;
/** Weight of a guide whose title numbers a word differently than the question ("mức 2" for "mức 1"). */
export const NUMBER_MISMATCH = 0.8;

/** Words followed by a small number ("mức 2", "level 2", "số 1") among folded words: word → numbers. */
export function numberedWords(words: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i + 1 < words.length; i++) {
    const n = words[i + 1]!;
    if (!/^\d{1,2}$/.test(n) || /^\d+$/.test(words[i]!)) continue;
    const set = out.get(words[i]!) ?? new Set<string>();
    set.add(n);
    out.set(words[i]!, set);
  }
  return out;
}

/** True when the guide numbers a word of the question, but never with the question's number. */
export function contradicts(asked: Map<string, Set<string>>, title: Map<string, Set<string>>): boolean {
  for (const [word, numbers] of asked) {
    const own = title.get(word);
    if (own && ![...numbers].some((n) => own.has(n))) return true;
  }
  return false;
}

/** Bits of the subjects (lexicon.subjects) a text names. */
export function subjectMask(lexicon: Lexicon, text: string): number {
  let mask = 0;
  for (const t of tokenize(text)) mask |= lexicon.subjects.get(t.folded) ?? 0;
  return mask;
}

/** Bits of the subjects a query names, in any of its readings (an English word counts as typed). */
export function querySubjects(lexicon: Lexicon, q: AnalysedQuery): number {
  let mask = 0;
  for (const slot of q.slots) {
    for (const alt of slot.alts) {
      for (const w of alt.words) {
        const term = w.term.startsWith(EN_PREFIX) ? w.term.slice(EN_PREFIX.length) : w.term;
        mask |= lexicon.subjects.get(term) ?? 0;
      }
    }
  }
  return mask;
}

/**
 * The weight of a guide for a question: 1, or less when the question names an app the guide is
 * not about (`named`: apps in the guide's title; `mentions`: also in its keywords).
 */
export function subjectFactor(asked: number, named: number, mentions: number): number {
  if (asked === 0) return 1;
  if (named !== 0) return (asked & named) !== 0 ? 1 : OTHER_SUBJECT;
  return (asked & mentions) !== 0 ? 1 : UNMENTIONED_SUBJECT;
}
