/**
 * Which of a guide's problems a message describes: each problem's title and signs (both
 * languages) against the message's words, read in standard words. A light word ("không", "bị",
 * "được") counts a third: "không nhận được otp" is about the OTP, not about "không".
 */
import type { Guide } from '../core/guide.ts';
import type { Lexicon } from './lexicon.ts';
import { tokenize } from './normalize.ts';
import { runSteps, type Steps } from './steps.ts';

/** Words that say little alone in a sign: they count a third. */
const LIGHT = new Set(
  'khong duoc bi da roi ma thi la co toi cua cho va voi van chua nay do gi sao lam the nhung nua moi ko a an to my is it i and of in on for with but not no me be was im dont cant wont didnt the it'.split(' '),
);
const LIGHT_WEIGHT = 1 / 3;
/** Least share of a sign's weight the message must hold for the problem to fit. */
export const PROBLEM_MIN_FIT = 0.6;
/** Lead over the next problem of the same guide needed to pick one. */
const PROBLEM_LEAD = 0.1;

/** One sign as weighted words. */
interface Sign {
  readonly words: readonly string[];
  readonly total: number;
}

/** The problem of a guide a message describes, and how well. */
export interface ProblemFit {
  readonly index: number;
  /** 0..1: the share of the best sign's weight found in the message. */
  readonly fit: number;
}

/** Problem signs of every guide, prepared once per index. */
export class ProblemMatcher {
  /** signs[doc][problem] = the problem's signs. */
  private readonly signs: Sign[][][];
  /** The words of each guide's titles: said without being typed when the guide is open. */
  private readonly titleWords: ReadonlySet<string>[];

  /** `read`: the guides' title words and problem signs as {@link problemMatcherSteps} read them (default: read here at once). */
  constructor(guides: readonly Guide[], lexicon: Lexicon, read?: ReadProblems) {
    const { titleWords, signs } = read ?? runSteps(readProblems(guides, lexicon));
    this.titleWords = titleWords;
    this.signs = signs;
  }

  /** The best fit of any of the guide's problems to the words (0 when it has none). */
  fit(doc: number, words: ReadonlySet<string>): number {
    let best = 0;
    for (const signs of this.signs[doc] ?? []) for (const s of signs) best = Math.max(best, share(s, words));
    return best;
  }

  /**
   * The guide's problem the words describe clearly (best fit ≥ the minimum, ahead of the next), if
   * any. `open`: the guide is the one the citizen has open, so its own topic ("tạm trú") goes
   * without saying ("nộp rồi mà chủ nhà chưa xác nhận").
   */
  best(doc: number, typed: ReadonlySet<string>, open = false): ProblemFit | undefined {
    const words = open ? new Set([...typed, ...(this.titleWords[doc] ?? [])]) : typed;
    const problems = this.signs[doc] ?? [];
    let best: ProblemFit | undefined;
    let second = 0;
    problems.forEach((signs, index) => {
      const fit = Math.max(0, ...signs.map((s) => share(s, words)));
      if (!best || fit > best.fit) {
        second = best?.fit ?? 0;
        best = { index, fit };
      } else if (fit > second) second = fit;
    });
    if (!best || best.fit < PROBLEM_MIN_FIT || best.fit - second < PROBLEM_LEAD) return undefined;
    return best;
  }
}

/** What {@link ProblemMatcher} keeps, per guide. */
interface ReadProblems {
  readonly titleWords: ReadonlySet<string>[];
  readonly signs: Sign[][][];
}

/** {@link ProblemMatcher} built in steps (see steps.ts): one guide per step. */
export function* problemMatcherSteps(guides: readonly Guide[], lexicon: Lexicon): Steps<ProblemMatcher> {
  return new ProblemMatcher(guides, lexicon, yield* readProblems(guides, lexicon));
}

/** Each guide's title words and problem signs, in standard words; yields after each guide. */
function* readProblems(guides: readonly Guide[], lexicon: Lexicon): Steps<ReadProblems> {
  const read = (text: string): Sign => {
    const words = tokenize(text).map((t) => lexicon.canonical.get(t.folded) ?? t.folded);
    return { words, total: words.reduce((sum, w) => sum + weight(w), 0) };
  };
  const titleWords: ReadonlySet<string>[] = [];
  const signs: Sign[][][] = [];
  for (const g of guides) {
    titleWords.push(new Set(read(`${g.title} ${g.en.title}`).words));
    signs.push(g.problems.map((p) => [p.title, ...p.signs, p.en.title, ...(p.en.signs ?? [])].map(read).filter((s) => s.total > 0)));
    yield;
  }
  return { titleWords, signs };
}

function weight(word: string): number {
  return LIGHT.has(word) ? LIGHT_WEIGHT : 1;
}

/** The share of a sign's weight whose words the message holds. */
function share(sign: Sign, words: ReadonlySet<string>): number {
  let found = 0;
  for (const w of sign.words) if (words.has(w)) found += weight(w);
  return found / sign.total;
}
