/**
 * Field matches: a guide's keyword phrase found word for word in the question ("chuyển hộ
 * khẩu", "đăng ký tài khoản định danh"). Editors curate keywords, so a whole keyword in the
 * question is strong evidence for its guide, beyond what the separate syllables say.
 */
import type { Guide } from '../core/guide.ts';
import { bm25Idf, type Bm25Index } from './bm25.ts';
import { englishTerm, SINGLE_LETTER } from './english.ts';
import type { Lexicon } from './lexicon.ts';
import { tokenize } from './normalize.ts';
import { PhraseTable } from './phrases.ts';
import type { Steps } from './steps.ts';

/** Keyword phrases of all guides, each with the guides that list it. */
export class KeywordPhrases {
  private readonly table = new PhraseTable<number>();
  private readonly docs: Int32Array[] = [];
  private readonly weights: number[] = [];

  /**
   * Adds a phrase (folded words) and the guides that list it, in guide order, weighed by the
   * index's inverse document frequencies; only while {@link keywordPhrasesOf} builds it.
   */
  add(words: readonly string[], docs: readonly number[], index: Bm25Index): void {
    const id = this.docs.length;
    this.docs.push(Int32Array.from(docs));
    // A phrase weighs what its words weigh: "cà vẹt" says more than "làm".
    let w = 0;
    for (const word of words) if (index.has(word)) w += bm25Idf(index.size, index.docFrequency(word));
    this.weights.push(w);
    this.table.set(words, id);
  }

  /**
   * Adds to `out` the ids of every keyword phrase found in the word sequence. With `marked` (the
   * words of a topic no guide covers), a phrase that takes only part of a marked run is skipped:
   * it belongs to that topic ("biển số xe" across "đấu giá biển số"). A phrase that holds a whole
   * run is more specific than the topic and counts ("đóng bhxh một lần" around "bhxh một lần").
   */
  find(words: readonly string[], out: Set<number>, marked?: Uint8Array): void {
    for (let i = 0; i < words.length; i++) {
      this.table.forEachAt(words, i, (id, n) => {
        if (marked && cutsARun(marked, i, i + n)) return;
        out.add(id);
      });
    }
  }

  /** The weight of the heaviest of `ids` that guide `doc` lists (0 when none). */
  best(ids: readonly number[], doc: number): number {
    let best = 0;
    for (const id of ids) {
      const w = this.weights[id]!;
      if (w <= best) continue;
      const docs = this.docs[id]!;
      let lo = 0;
      let hi = docs.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const d = docs[mid]!;
        if (d === doc) {
          best = w;
          break;
        }
        if (d < doc) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return best;
  }
}

/** One keyword phrase (folded words) and the guides that list it, in guide order. */
interface Phrase {
  readonly words: string[];
  readonly docs: number[];
}

/**
 * The keyword phrases of one guide, read without the index: its keywords as folded words (each
 * followed by its spelled-out form when it has an abbreviation), and its English keywords as
 * the English terms a query would read (before dropping those the index lacks).
 */
export interface GuidePhrases {
  readonly vietnamese: readonly string[][];
  readonly english: readonly (readonly string[])[];
}

/** Reads one guide's keyword phrases (see {@link GuidePhrases}). */
export function guidePhrases(g: Guide, lexicon?: Pick<Lexicon, 'synonyms'>): GuidePhrases {
  const vietnamese: string[][] = [];
  for (const k of g.keywords) {
    const words = tokenize(k).map((t) => t.folded);
    if (words.length === 0) continue;
    vietnamese.push(words);
    const spelled = lexicon ? spellOut(lexicon, words) : undefined;
    if (spelled) vietnamese.push(spelled);
  }
  // English keywords as an English query reads them (stems, without function words: "add to
  // household" is stored as add + household), matched against the query's English terms.
  const english = (g.en.keywords ?? []).map(englishTerms);
  return { vietnamese, english };
}

/**
 * {@link KeywordPhrases} of guides whose phrases were read (`read`: one entry per guide, in guide
 * order), in steps (see steps.ts). A keyword written with an unambiguous abbreviation ("gia hạn
 * thẻ bhyt") is also found spelled out ("gia hạn thẻ bảo hiểm y tế"); the other way round needs
 * nothing, as the query's first reading already spells abbreviations out.
 */
export function* keywordPhrasesOf(read: readonly GuidePhrases[], index: Bm25Index): Steps<KeywordPhrases> {
  const phrases = new KeywordPhrases();
  let n = 0;
  for (const { words, docs } of (yield* collectPhrases(read, index)).values()) {
    phrases.add(words, docs, index);
    if ((++n & 255) === 0) yield;
  }
  return phrases;
}

/** The keyword phrases of the guides by their text; English words the index lacks are dropped. */
function* collectPhrases(read: readonly GuidePhrases[], index: Bm25Index): Steps<Map<string, Phrase>> {
  const byPhrase = new Map<string, Phrase>();
  const add = (words: string[], doc: number): void => {
    const key = words.join(' ');
    const entry = byPhrase.get(key) ?? { words, docs: [] };
    if (entry.docs[entry.docs.length - 1] !== doc) entry.docs.push(doc);
    byPhrase.set(key, entry);
  };
  for (let doc = 0; doc < read.length; doc++) {
    const { vietnamese, english } = read[doc]!;
    for (const words of vietnamese) add(words, doc);
    for (const terms of english) {
      const known = terms.filter((term) => index.has(term));
      if (known.length > 0) add(known, doc);
    }
    if ((doc & 63) === 0) yield;
  }
  return byPhrase;
}

/** True when [start, end) takes part of a run of marked words without holding all of it (the run goes on past an end). */
function cutsARun(marked: Uint8Array, start: number, end: number): boolean {
  return (marked[start] === 1 && marked[start - 1] === 1) || (marked[end - 1] === 1 && marked[end] === 1);
}

/** The English index terms of a phrase, as a query reads it: function words and single letters ("e-wallet") are dropped. */
function englishTerms(phrase: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(phrase)) {
    const term = englishTerm(t.folded);
    if (term && !SINGLE_LETTER.test(t.folded)) out.push(term);
  }
  return out;
}

/** The words with every unambiguous abbreviation spelled out; undefined when there is none. */
function spellOut(lexicon: Pick<Lexicon, 'synonyms'>, words: readonly string[]): string[] | undefined {
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < words.length; ) {
    const m = lexicon.synonyms.matchAt(words, i);
    if (m && m.value.length === 1) {
      for (const t of m.value[0]!) out.push(t.folded);
      changed = true;
      i += m.words;
    } else {
      out.push(words[i]!);
      i++;
    }
  }
  return changed ? out : undefined;
}
