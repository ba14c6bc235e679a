/**
 * Which of a guide's problems a message describes: each problem's title and signs (both
 * languages) against the message's words, read in standard words. A light word ("không", "bị",
 * "được") counts a third: "không nhận được otp" is about the OTP, not about "không".
 */
import type { Guide } from '../core/guide.ts';
import type { Lexicon } from './lexicon.ts';
import { tokenize } from './normalize.ts';

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

  /** `read`: each guide's title words and problem signs ({@link guideProblems}), in guide order. */
  constructor(read: readonly GuideProblems[]) {
    this.titleWords = read.map((r) => r.titleWords);
    this.signs = read.map((r) => r.signs);
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

/** What {@link ProblemMatcher} keeps of one guide: its title words and its problems' signs, in standard words. */
export interface GuideProblems {
  readonly titleWords: ReadonlySet<string>;
  /** signs[problem] = the problem's signs. */
  readonly signs: Sign[][];
}

/** Reads one guide's title words and problem signs (see {@link GuideProblems}). */
export function guideProblems(g: Guide, lexicon: Lexicon): GuideProblems {
  const read = (text: string): Sign => {
    const words = tokenize(text).map((t) => lexicon.canonical.get(t.folded) ?? t.folded);
    return { words, total: words.reduce((sum, w) => sum + weight(w), 0) };
  };
  return {
    titleWords: new Set(read(`${g.title} ${g.en.title}`).words),
    signs: g.problems.map((p) => [p.title, ...p.signs, p.en.title, ...(p.en.signs ?? [])].map(read).filter((s) => s.total > 0)),
  };
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
