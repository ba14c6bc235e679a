/**
 * The decision for one message: answer, clarify, fallback, or an intent. Confidence is built
 * from evidence, not from one raw score: how much of the query's content the best guide covers
 * (weighted by how telling each word is), whether it is found in the curated short fields or as
 * adjacent pairs, and how far ahead of the runner-up the best guide is.
 */
import type { Decision } from '../core/ports.ts';

/** A candidate with everything the decision looks at. */
export interface ScoredCandidate {
  readonly id: string;
  /** Exact BM25 score. */
  readonly score: number;
  /**
   * The fused score that orders candidates, and the strength the decision compares: with the
   * default weighted fusion, 0.6 × BM25 relative to the best + 0.4 × focus + 0.1 × fuzzy.
   */
  readonly fused: number;
  readonly coverage: number;
  readonly focus: number;
  readonly linkHits: number;
  /** Weight of the best keyword phrase of the guide found in the question (0: none). */
  readonly keyword: number;
  /** 0..1 fuzzy match of the short fields (fuse.js). */
  readonly fuzzy: number;
  /** A telling word of the question is in the guide's title or keywords (absent: assumed). */
  readonly anchored?: boolean;
}

/** The knobs of the decision (defaults in DEFAULT_THRESHOLDS). */
export interface DecisionThresholds {
  /** Below this focus (field-credited coverage of the question's content), nothing fits: fallback. */
  readonly minFocus: number;
  /** Lead in fused score over the runner-up needed to answer without asking. */
  readonly answerMargin: number;
  /** Candidates within this fused score of the best are offered when clarifying. */
  readonly clarifyBand: number;
  /** Most candidates offered when clarifying. */
  readonly maxClarify: number;
  /** Least focus when one of the guide's keyword phrases is in the question and it leads by `keywordLead`. */
  readonly keywordFocus: number;
  /** Lead in fused score that lets a keyword phrase stand in for focus. */
  readonly keywordLead: number;
  /** Content words from which a message is long (context around the topic). */
  readonly longMessage: number;
  /** `keywordLead` for a long message. */
  readonly longKeywordLead: number;
}

/**
 * Defaults, chosen with `npm run eval` on the repo's own question set (then checked on the
 * shared dev set): focus 0.5 declines every out-of-scope question there, a 0.1 lead keeps
 * wrong answers under 1 %.
 */
export const DEFAULT_THRESHOLDS: DecisionThresholds = {
  minFocus: 0.5,
  answerMargin: 0.1,
  clarifyBand: 0.12,
  maxClarify: 3,
  keywordFocus: 0.35,
  keywordLead: 0.3,
  // Measured: from 8 to 12 words the own set gains 2–4 answers and no wrong one; from 6 it
  // answers an out-of-scope question.
  longMessage: 10,
  longKeywordLead: 0.15,
};

/** The decision over ranked candidates (best first) of a message that is a question. */
export interface QuestionDecision {
  readonly decision: Extract<Decision, 'answer' | 'clarify' | 'fallback'>;
  readonly confidence: number;
  /** Candidates to show: for clarify the 2–3 close ones; otherwise up to 3 (best first). */
  readonly show: number;
}

/**
 * Decides for a guide question. Pure. `contentWords`: how many content words (slots) the
 * question has after stop words. `keywordVouches`: false when the question also names a topic
 * no guide covers, so a keyword phrase cannot stand in for focus.
 */
export function decideQuestion(
  ranked: readonly ScoredCandidate[],
  contentWords: number,
  t: DecisionThresholds = DEFAULT_THRESHOLDS,
  keywordVouches = true,
): QuestionDecision {
  const top = ranked[0];
  if (!top) return { decision: 'fallback', confidence: 1, show: 0 };
  const upTo3 = Math.min(3, ranked.length);
  const s1 = top.fused;
  let rival = 0;
  for (let i = 1; i < ranked.length; i++) rival = Math.max(rival, ranked[i]!.fused);
  const margin = s1 - rival;
  // A guide's own keyword phrase, well ahead of the rest, vouches for it when the citizen also
  // wrote words no guide has ("… để đi xuất khẩu lao động"): answered with less focus.
  // A long message carries context besides its topic ("bà già rồi, con trai đi làm xa…"): a
  // smaller lead lets the keyword vouch there.
  const lead = contentWords >= t.longMessage ? t.longKeywordLead : t.keywordLead;
  const vouched = keywordVouches && top.keyword > 0 && top.focus >= t.keywordFocus && margin >= lead;
  if (top.focus < t.minFocus && !vouched) return { decision: 'fallback', confidence: clamp(1 - top.focus), show: upTo3 };
  if (contentWords >= 2 && top.linkHits === 0 && top.keyword === 0) {
    // Two or more content words and not one of them next to another as in the guide (no
    // adjacent pair, no whole keyword): scattered single words are how "gia vang hom nay" meets
    // "chủ nhà đi vắng", "hôm nay có mưa không" meets "mua", "giá lúa" meets "giả … lừa".
    // In-scope questions nearly always share a phrase. Offered as a suggestion, never answered.
    return { decision: 'fallback', confidence: clamp(1 - 0.5 * top.focus), show: upTo3 };
  }
  if (margin < t.answerMargin) {
    let n = 1;
    while (
      n < ranked.length &&
      n < t.maxClarify &&
      ranked[n]!.fused >= s1 - t.clarifyBand &&
      ranked[n]!.focus >= t.minFocus * 0.8
    ) {
      n++;
    }
    if (n >= 2) return { decision: 'clarify', confidence: clamp(0.6 * top.focus + margin), show: n };
  }
  if (top.anchored === false) {
    // Nothing telling of the question is in the guide's title or keywords: it only meets the
    // guide's sample questions or steps. Offered as a suggestion, never answered outright.
    return { decision: 'fallback', confidence: clamp(1 - 0.6 * top.focus), show: upTo3 };
  }
  return { decision: 'answer', confidence: clamp(0.6 * top.focus + 0.4 * Math.min(1, margin / 0.25)), show: upTo3 };
}

function clamp(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}
