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

/** fuse.js bitap patterns longer than this are split in chunks (slower, weaker): skipped. */
const MAX_PATTERN = 32;
/** Keywords shorter than this say too little when found fuzzily ("qr", "vneid"). */
const MIN_PATTERN = 6;
/** Most bitap runs per message (each costs tens of microseconds on a long message). */
const MAX_BITAP_RUNS = 8;
/** Longer messages are not searched fuzzily: rambling text has enough exact words for BM25. */
const MAX_FUZZY_MESSAGE = 80;

const FUSE_OPTIONS: IFuseOptions<string> = {
  includeScore: true,
  ignoreLocation: true,
  isCaseSensitive: true, // texts are folded and lower-case already
  threshold: 0.25,
  minMatchCharLength: 1,
};

/** Fuzzy scorer of guides' keyword phrases against a message. */
export class ShortFieldMatcher {
  private readonly patterns: (readonly string[] | undefined)[];

  constructor(private readonly guides: readonly Guide[]) {
    this.patterns = new Array<readonly string[] | undefined>(guides.length);
  }

  /** Folded keywords of a guide usable as bitap patterns (computed on first use). */
  private patternsOf(doc: number): readonly string[] {
    let p = this.patterns[doc];
    if (!p) {
      const g = this.guides[doc]!;
      const set = new Set<string>();
      for (const k of g.keywords) {
        const f = foldText(k);
        if (f.length >= MIN_PATTERN && f.length <= MAX_PATTERN) set.add(f);
      }
      p = [...set];
      this.patterns[doc] = p;
    }
    return p;
  }

  /** Computes every guide's patterns now (instead of on first use). */
  warm(): void {
    for (let d = 0; d < this.guides.length; d++) this.patternsOf(d);
  }

  /**
   * For each document, 0..1: how well its best keyword phrase is found in the folded message
   * (1 = word for word), weighted by the phrase's length so that long phrases count more.
   * `fuzzy`: the message has unknown words, so approximate matches are worth a bitap run.
   */
  scores(docs: readonly number[], foldedMessage: string, fuzzy: boolean): number[] {
    if (!foldedMessage || docs.length === 0) return docs.map(() => 0);
    const padded = ` ${foldedMessage} `;
    const words = fuzzy && foldedMessage.length <= MAX_FUZZY_MESSAGE ? new Set(foldedMessage.split(' ')) : undefined;
    let fuse: Fuse<string> | undefined;
    let runs = 0;
    return docs.map((doc) => {
      let best = 0;
      for (const pattern of this.patternsOf(doc)) {
        const weight = Math.min(1, pattern.length / 16);
        if (weight <= best) continue;
        if (padded.includes(` ${pattern} `)) {
          best = weight;
          continue;
        }
        if (!words || runs >= MAX_BITAP_RUNS || !pattern.split(' ').some((w) => words.has(w))) continue;
        runs++;
        fuse ??= new Fuse([foldedMessage], FUSE_OPTIONS);
        const hit = fuse.search(pattern)[0];
        if (hit) best = Math.max(best, (1 - (hit.score ?? 1)) * weight);
      }
      return best;
    });
  }
}
