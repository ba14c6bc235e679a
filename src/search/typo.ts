/**
 * Typo correction for words the content does not know: candidates one edit away (insertion,
 * deletion, substitution, transposition), found with a symmetric-delete index built once
 * (the SymSpell idea), so a lookup costs a few map reads instead of a scan of the vocabulary.
 */
import { runSteps, type Steps } from './steps.ts';

/** Shortest word worth correcting: two-letter words have too many neighbours. */
export const MIN_TYPO_LENGTH = 3;

function deletes(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** True when a and b are at most one edit apart (Damerau: a swap of neighbours is one edit). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * True when b is a with its first letter replaced ("xang" → "dang"). Typists rarely get the
 * first letter wrong, and such "fixes" mostly turn an unknown word into an unrelated known one.
 */
function firstLetterSwapped(a: string, b: string): boolean {
  return a.length === b.length && a[0] !== b[0] && a.slice(1) === b.slice(1);
}

/** Symmetric-delete index over a vocabulary. */
export class TypoIndex {
  private readonly byDelete: ReadonlyMap<string, string[]>;
  private readonly vocab: ReadonlyMap<string, number>;

  /**
   * `vocab`: word → frequency (document frequency); the more frequent of two fixes wins.
   * `byDelete`: its deletes as {@link typoIndexSteps} made them (default: made here at once).
   */
  constructor(vocab: ReadonlyMap<string, number>, byDelete?: ReadonlyMap<string, string[]>) {
    this.vocab = vocab;
    this.byDelete = byDelete ?? runSteps(deleteIndex(vocab));
  }

  /**
   * Known words one edit away from `word`, most frequent first, at most `limit`.
   * Empty for short words, words with digits, and known words.
   */
  suggest(word: string, limit = 3): string[] {
    if (word.length < MIN_TYPO_LENGTH || /\d/.test(word) || this.vocab.has(word)) return [];
    const found = new Set<string>();
    for (const key of [word, ...deletes(word)]) {
      const list = this.byDelete.get(key);
      if (!list) continue;
      for (const cand of list) if (withinOneEdit(word, cand) && !firstLetterSwapped(word, cand)) found.add(cand);
    }
    return [...found].sort((a, b) => (this.vocab.get(b) ?? 0) - (this.vocab.get(a) ?? 0)).slice(0, limit);
  }
}

/** {@link TypoIndex} built in steps (see steps.ts): a few hundred words per step. */
export function* typoIndexSteps(vocab: ReadonlyMap<string, number>): Steps<TypoIndex> {
  return new TypoIndex(vocab, yield* deleteIndex(vocab));
}

/** Every word of the vocabulary (worth correcting) under itself and each of its deletes, in vocabulary order. */
function* deleteIndex(vocab: ReadonlyMap<string, number>): Steps<Map<string, string[]>> {
  const byDelete = new Map<string, string[]>();
  let n = 0;
  for (const word of vocab.keys()) {
    if ((++n & 255) === 0) yield;
    if (word.length < MIN_TYPO_LENGTH || /\d/.test(word)) continue;
    for (const key of [word, ...deletes(word)]) {
      const list = byDelete.get(key);
      if (list) {
        if (!list.includes(word)) list.push(word);
      } else byDelete.set(key, [word]);
    }
  }
  return byDelete;
}
