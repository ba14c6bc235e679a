/**
 * Field matches: a guide's keyword phrase found word for word in the question ("chuyển hộ
 * khẩu", "đăng ký tài khoản định danh"). Editors curate keywords, so a whole keyword in the
 * question is strong evidence for its guide, beyond what the separate syllables say.
 */
import type { Guide } from '../core/guide.ts';
import type { Bm25Index } from './bm25.ts';
import { englishTerm, SINGLE_LETTER } from './english.ts';
import type { Lexicon } from './lexicon.ts';
import { tokenize } from './normalize.ts';
import { PhraseTable } from './phrases.ts';
import { runSteps, type Steps } from './steps.ts';

/** Keyword phrases of all guides, each with the guides that list it. */
export class KeywordPhrases {
  private readonly table = new PhraseTable<number>();
  private readonly docs: Int32Array[] = [];
  private readonly weights: number[] = [];

  /**
   * Collects the keywords (folded) of the guides, in guide order. With a lexicon, a keyword
   * written with an unambiguous abbreviation ("gia hạn thẻ bhyt") is also found spelled out
   * ("gia hạn thẻ bảo hiểm y tế"); the other way round needs nothing, as the query's first
   * reading already spells abbreviations out. `collected`: the phrases as {@link keywordPhrasesSteps}
   * gathered them (default: gathered here at once).
   */
  constructor(guides: readonly Guide[], index: Bm25Index, lexicon?: Pick<Lexicon, 'synonyms'>, collected?: ReadonlyMap<string, Phrase>) {
    for (const { words, docs } of (collected ?? runSteps(collectPhrases(guides, index, lexicon))).values()) {
      const id = this.docs.length;
      this.docs.push(Int32Array.from(docs));
      // A phrase weighs what its words weigh: "cà vẹt" says more than "làm".
      let w = 0;
      for (const word of words) w += index.get(word)?.idf ?? 0;
      this.weights.push(w);
      this.table.set(words, id);
    }
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

/** {@link KeywordPhrases} built in steps (see steps.ts): one guide's keywords per step. */
export function* keywordPhrasesSteps(guides: readonly Guide[], index: Bm25Index, lexicon?: Pick<Lexicon, 'synonyms'>): Steps<KeywordPhrases> {
  const collected = yield* collectPhrases(guides, index, lexicon);
  return new KeywordPhrases(guides, index, lexicon, collected);
}

/** The keyword phrases of the guides by their text, yielding after each guide. */
function* collectPhrases(guides: readonly Guide[], index: Bm25Index, lexicon?: Pick<Lexicon, 'synonyms'>): Steps<Map<string, Phrase>> {
  const byPhrase = new Map<string, Phrase>();
  const add = (words: string[], doc: number): void => {
    const key = words.join(' ');
    const entry = byPhrase.get(key) ?? { words, docs: [] };
    if (entry.docs[entry.docs.length - 1] !== doc) entry.docs.push(doc);
    byPhrase.set(key, entry);
  };
  for (let doc = 0; doc < guides.length; doc++) {
    const g = guides[doc]!;
    for (const k of g.keywords) {
      const words = tokenize(k).map((t) => t.folded);
      if (words.length === 0) continue;
      add(words, doc);
      const spelled = lexicon ? spellOut(lexicon, words) : undefined;
      if (spelled) add(spelled, doc);
    }
    // English keywords as an English query reads them (stems, without function words or words
    // the index lacks: "add to household" is stored as add + household), matched against the
    // query's English terms.
    for (const k of g.en.keywords ?? []) {
      const terms = englishTerms(k, index);
      if (terms.length > 0) add(terms, doc);
    }
    yield;
  }
  return byPhrase;
}

/** True when [start, end) takes part of a run of marked words without holding all of it (the run goes on past an end). */
function cutsARun(marked: Uint8Array, start: number, end: number): boolean {
  return (marked[start] === 1 && marked[start - 1] === 1) || (marked[end - 1] === 1 && marked[end] === 1);
}

/**
 * The English index terms of a phrase, as a query reads it: function words, single letters
 * ("e-wallet") and words the index lacks are dropped.
 */
function englishTerms(phrase: string, index: Bm25Index): string[] {
  const out: string[] = [];
  for (const t of tokenize(phrase)) {
    const term = englishTerm(t.folded);
    if (term && !SINGLE_LETTER.test(t.folded) && index.has(term)) out.push(term);
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
