/**
 * fuse.js where it is strong: fuzzy matching of short fields. For the few guides on the BM25
 * shortlist, each keyword phrase (a short, curated field, ≤ 32 letters: fuse.js's bitap limit)
 * is searched fuzzily inside the citizen's message, so "kich hoat vnied" still meets the keyword
 * "kích hoạt vneid". A bitap run costs tens of microseconds, so it runs only where it can add
 * something: when the message has a word the index does not know (a typo), and only for
 * keywords sharing a word with the message. Otherwise a keyword counts when it is contained
 * word for word. The cost does not grow with the number of guides.
 */
import Fuse, { type IFuseOptions } from 'fuse.js';
import type { Guide } from '../core/guide.ts';
import { foldText } from './normalize.ts';
import { withinOneEdit } from './typo.ts';

/** fuse.js bitap patterns longer than this are split in chunks (slower, weaker): skipped. */
const MAX_PATTERN = 32;
/** Keywords shorter than this say too little when found fuzzily ("qr", "vneid"). */
const MIN_PATTERN = 6;
/** Most bitap runs per message (each costs tens of microseconds on a long message). */
const MAX_BITAP_RUNS = 4;
/** Longer messages are not searched fuzzily: rambling text has enough exact words for BM25. */
const MAX_FUZZY_MESSAGE = 80;

const FUSE_OPTIONS: IFuseOptions<string> = {
  includeScore: true,
  ignoreLocation: true,
  isCaseSensitive: true, // texts are folded and lower-case already
  threshold: 0.25,
  minMatchCharLength: 1,
};

/** One keyword of a guide, prepared for matching. */
interface Pattern {
  /** Folded keyword (the bitap pattern). */
  readonly text: string;
  /** ` text `: found word for word in ` message `. */
  readonly padded: string;
  readonly words: readonly string[];
  /** Longer phrases count more (a 16-letter phrase counts fully). */
  readonly weight: number;
}

/** Fuzzy scorer of guides' keyword phrases against a message. */
export class ShortFieldMatcher {
  private readonly patterns: (readonly Pattern[] | undefined)[];

  constructor(private readonly guides: readonly Guide[]) {
    this.patterns = new Array<readonly Pattern[] | undefined>(guides.length);
  }

  /** Folded keywords of a guide usable as bitap patterns (computed on first use). */
  private patternsOf(doc: number): readonly Pattern[] {
    let p = this.patterns[doc];
    if (!p) {
      const g = this.guides[doc]!;
      const set = new Set<string>();
      for (const k of g.keywords) {
        const f = foldText(k);
        if (f.length >= MIN_PATTERN && f.length <= MAX_PATTERN) set.add(f);
      }
      p = [...set].map((text) => ({ text, padded: ` ${text} `, words: text.split(' '), weight: Math.min(1, text.length / 16) }));
      this.patterns[doc] = p;
    }
    return p;
  }

  /** Computes every guide's patterns now (instead of on first use). */
  warm(): void {
    for (let d = 0; d < this.guides.length; d++) this.patternsOf(d);
  }

  /**
   * For each document, 0..1: how well its best keyword phrase is found in the message's folded
   * content words (1 = word for word), weighted by the phrase's length so that long phrases count
   * more. `guessed[i]`: words[i] is unknown or a typo fix; only around such words can an
   * approximate match add anything, so bitap runs on short windows around them.
   */
  scores(docs: readonly number[], words: readonly string[], guessed: readonly boolean[]): number[] {
    const out = new Array<number>(docs.length).fill(0);
    if (words.length === 0) return out;
    const padded = ` ${words.join(' ')} `;
    const spots: number[] = [];
    if (padded.length - 2 <= MAX_FUZZY_MESSAGE) for (let i = 0; i < words.length; i++) if (guessed[i]) spots.push(i);
    const guessedWords = spots.map((i) => words[i]!);
    const windows = new Map<number, Fuse<string> | undefined>();
    let runs = 0;
    for (let i = 0; i < docs.length; i++) {
      let best = 0;
      const patterns = this.patternsOf(docs[i]!);
      for (let k = 0; k < patterns.length; k++) {
        const pattern = patterns[k]!;
        if (pattern.weight <= best) continue;
        if (padded.includes(pattern.padded)) {
          best = pattern.weight;
          continue;
        }
        if (spots.length === 0 || runs >= MAX_BITAP_RUNS) continue;
        const n = pattern.words.length;
        let fuse = windows.get(n);
        if (!windows.has(n)) {
          fuse = windowIndex(words, spots, n);
          windows.set(n, fuse);
        }
        if (!fuse || !pattern.words.some((w) => words.includes(w)) || !pattern.words.some((w) => guessedWords.some((g) => resembles(w, g)))) {
          continue;
        }
        runs++;
        const hit = fuse.search(pattern.text)[0];
        if (hit) best = Math.max(best, (1 - (hit.score ?? 1)) * pattern.weight);
      }
      out[i] = best;
    }
    return out;
  }
}

/**
 * True when a keyword's word could be what the citizen meant by a guessed word: one edit away,
 * or of about the same length with the same first letter (typists rarely get that one wrong).
 * Without such a word, a bitap run can find nothing that whole words did not.
 */
function resembles(keywordWord: string, guessed: string): boolean {
  if (withinOneEdit(keywordWord, guessed)) return true;
  return keywordWord[0] === guessed[0] && keywordWord.length >= 4 && guessed.length >= 4 && Math.abs(keywordWord.length - guessed.length) <= 2;
}

/**
 * fuse.js over the windows of words where an n-word phrase could overlap a guessed word:
 * from n − 1 words before it to n − 1 after (a bitap run costs in proportion to the text).
 */
function windowIndex(words: readonly string[], spots: readonly number[], n: number): Fuse<string> | undefined {
  const texts: string[] = [];
  for (const u of spots) {
    const text = words.slice(Math.max(0, u - n + 1), Math.min(words.length, u + n)).join(' ');
    if (texts[texts.length - 1] !== text) texts.push(text);
  }
  return texts.length > 0 ? new Fuse(texts, FUSE_OPTIONS) : undefined;
}
