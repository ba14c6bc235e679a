/**
 * The evidence rules: focus, adjacent pairs, keyword phrases, the lead over the runner-up and
 * anchoring in the title or keywords, read as a verdict. They were the whole decision before it
 * was fitted on data; their verdict is now one of the signals the fitted decision weighs.
 */
import { DEFAULT_THRESHOLDS, type DecisionThresholds, type QuestionDecision, type ScoredCandidate } from './decision-types.ts';

/**
 * The evidence rules' verdict on a guide question (the hand-written decision of earlier
 * versions, now one signal of the fitted decision). Pure. `contentWords`: how many content
 * words (slots) the question has after stop words. `keywordVouches`: false when the question
 * also names a topic no guide covers, so a keyword phrase cannot stand in for focus.
 */
export function ruleVerdict(
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
