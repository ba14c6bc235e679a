/**
 * Longest-match lookup of short word sequences (synonym keys, stop phrases, intent phrases)
 * over folded tokens. Whole words only: "dk" matches the word "dk", never part of "dkx".
 */
import { tokenize, type NormToken } from './normalize.ts';

/** A table from folded word sequences to values. */
export class PhraseTable<V> {
  private readonly map = new Map<string, V>();
  private readonly firstWords = new Set<string>();
  /** Every proper prefix of a phrase: scanning stops as soon as no phrase continues. */
  private readonly prefixes = new Set<string>();
  private longest = 0;

  /** Longest phrase, in words. */
  get maxWords(): number {
    return this.longest;
  }

  /** Number of phrases. */
  get size(): number {
    return this.map.size;
  }

  /** Adds (or replaces) a phrase given as folded words. Empty phrases are ignored. */
  set(words: readonly string[], value: V): void {
    if (words.length === 0) return;
    this.map.set(words.join(' '), value);
    this.firstWords.add(words[0]!);
    for (let n = 1; n < words.length; n++) this.prefixes.add(words.slice(0, n).join(' '));
    if (words.length > this.longest) this.longest = words.length;
  }

  /** Every phrase (its folded words joined by spaces) with its value. */
  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }

  /** The value of a phrase, if present. */
  get(words: readonly string[]): V | undefined {
    return this.map.get(words.join(' '));
  }

  /** True when some phrase starts with this word (cheap pre-check). */
  startsWith(word: string): boolean {
    return this.firstWords.has(word);
  }

  /**
   * The longest phrase starting at `start` in `words`, or undefined.
   * `words` are folded tokens of the text being scanned.
   */
  matchAt(words: readonly string[], start: number): { words: number; value: V } | undefined {
    let found: { words: number; value: V } | undefined;
    this.forEachAt(words, start, (value, n) => {
      found = { words: n, value };
    });
    return found;
  }

  /** Calls `fn` for every phrase (of any length, shortest first) starting at `start` in `words`. */
  forEachAt(words: readonly string[], start: number, fn: (value: V, words: number) => void): void {
    const first = words[start];
    if (first === undefined || !this.firstWords.has(first)) return;
    const max = Math.min(this.longest, words.length - start);
    let key = first;
    for (let n = 1; n <= max; n++) {
      if (n > 1) key += ' ' + words[start + n - 1]!;
      const value = this.map.get(key);
      if (value !== undefined) fn(value, n);
      if (!this.prefixes.has(key)) return;
    }
  }
}

/**
 * Whether a word typed with marks has marks a table lists for it (a word typed without marks, or
 * one the table does not list, always passes: "Môn" is no "mơn", "để" no "đẻ"). `unmarkedAny`:
 * a spelling listed without marks ("hong" beside "hông") lets any marks pass.
 */
export function typedAsListed(spellings: ReadonlySet<string> | undefined, t: NormToken, unmarkedAny = false): boolean {
  if (!t.hasMarks || spellings === undefined) return true;
  return spellings.has(t.accented) || (unmarkedAny && spellings.has(t.folded));
}

/**
 * Phrases by folded words, each with the accented spellings it is listed with ("thế" and "thẻ"
 * both fold to "the"): a word typed with marks can then be checked against them. Phrases empty
 * after normalisation are skipped; `note` is told every phrase's tokens.
 */
export function spellingTable(phrases: Iterable<string>, note?: (toks: readonly NormToken[]) => void): PhraseTable<Set<string>> {
  const table = new PhraseTable<Set<string>>();
  for (const phrase of phrases) {
    const toks = tokenize(phrase);
    if (toks.length === 0) continue;
    note?.(toks);
    const folded = toks.map((t) => t.folded);
    const spellings = table.get(folded) ?? new Set<string>();
    spellings.add(toks.map((t) => t.accented).join(' '));
    table.set(folded, spellings);
  }
  return table;
}
