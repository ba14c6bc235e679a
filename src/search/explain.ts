/**
 * From a message to the index's answer: analyse, rank, decide, and read the intents found
 * (a person, a greeting, a scam report, a topic no guide covers, a follow-up). A long message
 * that fits nothing is tried clause by clause; a vague one may be read with the open guide's app.
 */
import { isAspectIntent, type IntentName } from '../core/guide.ts';
import type { RankedGuide, SearchResult } from '../core/ports.ts';
import { rankCandidates } from './candidates.ts';
import { decideQuestion, type QuestionDecision, type ScoredCandidate } from './decide.ts';
import type { QuestionShape } from './decision-features.ts';
import { SCAM_GUIDE_ID, type IndexParts } from './index-parts.ts';
import { foldSyllable } from './normalize.ts';
import { analyseQuery } from './query.ts';
import { messageWords } from './open-guide.ts';
import type { AnalysedQuery } from './query-types.ts';

/** A greeting or thank-you with this many content words or more beside it is a question. */
const GREETING_MAX_WORDS = 4;
/** A greeting or thank-you of up to this many content words, with no question in it, is still one. */
const GREETING_LONG_WORDS = 10;
/** Content words from which a message that fits no guide is also tried clause by clause. */
const LONG_MESSAGE_SLOTS = 8;
/** Where a message breaks into clauses: sentence and clause punctuation, line breaks. */
const CLAUSE_BREAK = /[,.;:!?\n…]+/;
/** Clauses tried from each end of a long message. */
const CLAUSES_EACH_END = 6;

/** What one query looked like inside the index (for eval reports and tuning). */
export interface SearchExplanation {
  readonly result: SearchResult;
  readonly query: AnalysedQuery;
  readonly candidates: readonly ScoredCandidate[];
}

/** The explanation of a message, clause by clause when a long one fits nothing as a whole. */
export function explainMessage(p: IndexParts, text: string): SearchExplanation {
  const full = explainWhole(p, text);
  if (full.result.decision !== 'fallback' || full.result.intent === 'not-covered' || full.query.slots.length < LONG_MESSAGE_SLOTS) return full;
  // A long message that fits no guide as a whole may hold one clear question among its context
  // ("bà già rồi, con trai đi làm xa, bà muốn coi tiền lương hưu vô tài khoản chưa"): a clause
  // answered on its own, by a guide the whole message also ranks in its top 3, is the answer.
  const all = text.split(CLAUSE_BREAK).filter((c) => c.trim().length > 0);
  if (all.length < 2) return full;
  // At most the first and last few clauses (where a question usually sits): a 4,000-character
  // message of commas must not cost hundreds of searches.
  const clauses = all.length > 2 * CLAUSES_EACH_END ? [...all.slice(0, CLAUSES_EACH_END), ...all.slice(-CLAUSES_EACH_END)] : all;
  const best = bestClause(p, clauses, new Set(full.candidates.slice(0, 3).map((c) => c.id)));
  if (!best) return full;
  const intent = full.result.intent ?? best.intent;
  const { intent: _dropped, ...rest } = best;
  return { ...full, result: { ...rest, ...(intent ? { intent } : {}), normalized: full.result.normalized, ...(full.query.english ? { english: true } : {}) } };
}

/**
 * The most confident clause answered on its own by one of the `near` guides. A short clause
 * answers easily ("hôm nay tôi đi chợ" meets the market guide): it must hold one of the guide's
 * keyword phrases.
 */
function bestClause(p: IndexParts, clauses: readonly string[], near: ReadonlySet<string>): SearchResult | undefined {
  let best: SearchResult | undefined;
  for (const clause of clauses) {
    const e = explainWhole(p, clause);
    const r = e.result;
    const top = r.guides[0]?.id ?? '';
    if (r.decision !== 'answer' || !near.has(top) || !(e.candidates[0]?.id === top && e.candidates[0]!.keyword > 0)) continue;
    if (!best || r.confidence > best.confidence) best = r;
  }
  return best;
}

/**
 * A message that fits no guide, read again with the app of the guide the citizen has open. The
 * app's name must not carry the answer alone ("giá vàng hôm nay" + "VssID" is still no
 * question about VssID): on the citizen's own words, the guide found must already fit (focus)
 * and share a phrase with them; the app only told it from its neighbours.
 */
export function withSubject(p: IndexParts, text: string, first: SearchExplanation, subject: string): SearchResult {
  const r = first.result;
  if (r.decision !== 'fallback' || r.intent !== undefined || r.normalized === '') return r;
  if (first.query.words.includes(foldSyllable(subject.toLowerCase()))) return r;
  const again = explainMessage(p, `${text} ${subject}`).result;
  const top = again.guides[0];
  if ((again.decision !== 'answer' && again.decision !== 'clarify') || !top) return r;
  const own = first.candidates.find((c) => c.id === top.id);
  if (!own || own.focus < p.thresholds.minFocus || (own.linkHits === 0 && own.keyword === 0)) return r;
  return { ...again, normalized: r.normalized };
}

/** The whole message at once: analysed, ranked, decided. */
function explainWhole(p: IndexParts, text: string): SearchExplanation {
  const q = analyseQuery(p.ctx, text);
  const candidates = rankCandidates(p, q);
  const question = decideQuestion(candidates, questionShape(p, q, text, candidates), p.model, p.thresholds);
  let result = resultOf(p, q, text, candidates, question);
  const aspect = q.intents.find(isAspectIntent);
  if (aspect) result = { ...result, aspect };
  const top = result.guides[0] ? p.docOf.get(result.guides[0].id) : undefined;
  const problem = top !== undefined ? p.problems.best(top, messageWords(q)) : undefined;
  if (problem) result = { ...result, problem: problem.index };
  if (q.english) result = { ...result, english: true };
  return { result, query: q, candidates };
}

/** What the decision reads of the message and of its best guide. */
export function questionShape(p: IndexParts, q: AnalysedQuery, text: string, candidates: readonly ScoredCandidate[]): QuestionShape {
  const top = candidates[0] ? p.docOf.get(candidates[0].id) : undefined;
  return {
    clauseFocus: top === undefined ? 0 : bestClauseFocus(p, text, top, candidates[0]!.focus),
    problemFit: top === undefined ? 0 : p.problems.fit(top, messageWords(q)),
    contentWords: q.slots.length,
    topicWords: q.topicSlots,
    unknownWords: q.slots.filter((s) => s.alts.length === 0).length,
    unknownWeight: p.ranker.unknownShare(q),
    english: q.english,
    notCovered: q.intents.includes('not-covered'),
  };
}

/**
 * True when an intent decides the message whatever the guides' evidence (a person asked for, a
 * scam report, a topic no guide covers, a bare follow-up, padding only): the fitted question
 * decision never sees it, and fitting leaves it out.
 */
export function decidedByIntent(p: IndexParts, q: AnalysedQuery, candidates: readonly ScoredCandidate[]): boolean {
  const intent = q.intents[0];
  return (
    intent === 'handoff' ||
    (intent === 'scam-report' && p.hasScamGuide) ||
    (intent === 'not-covered' && !(candidates[0] !== undefined && candidates[0].keyword > 0)) ||
    (isAspectIntent(intent) && q.topicSlots === 0) ||
    (intent === undefined && q.slots.length === 0)
  );
}

/**
 * The guide's focus on the message's best clause: a long story's question usually sits in one
 * clause ("…, giờ muốn làm lại thẻ căn cước thì làm sao"). At most the first and last few clauses.
 */
function bestClauseFocus(p: IndexParts, text: string, doc: number, whole: number): number {
  const all = text.split(CLAUSE_BREAK).filter((c) => c.trim().length > 0);
  if (all.length < 2) return whole;
  const clauses = all.length > 2 * CLAUSES_EACH_END ? [...all.slice(0, CLAUSES_EACH_END), ...all.slice(-CLAUSES_EACH_END)] : all;
  let best = whole;
  for (const clause of clauses) {
    const q = analyseQuery(p.ctx, clause);
    if (q.slots.length >= 2) best = Math.max(best, p.ranker.evaluate(q, doc).focus);
  }
  return best;
}

/**
 * A greeting or thank-you with nothing asked. With a real question beside it the question is
 * answered (or clarified): "cảm ơn, làm căn cước ở đâu" (a follow-up word, or one of a guide's
 * keyword phrases, is a question). A stray word or two ("cảm ơn bạn nhiều nha", "cảm ơn em, nhà
 * đang rối quá") is not; nor are well-wishes without a question mark or a plausible guide ("cám ơn
 * các cháu đã chỉ dẫn tận tình, chúc các cháu mạnh khỏe"). A long message that opens with "chào
 * bạn" and fits nothing falls back (with suggestions) rather than being greeted.
 */
function isGreeting(q: AnalysedQuery, text: string, candidates: readonly ScoredCandidate[], question: QuestionDecision): boolean {
  const intent = q.intents[0];
  if ((intent !== 'greeting' && intent !== 'thanks') || q.intents.some(isAspectIntent)) return false;
  // "chào bạn, giá vàng hôm nay bao nhiêu": a question beside the greeting is no greeting.
  if (q.slots.filter((s) => !s.grammar).length >= 2 && asksSomething(q.tokens, text)) return false;
  const top = candidates[0];
  const loose = top === undefined || (top.keyword === 0 && top.linkHits === 0);
  const few = q.slots.length < GREETING_MAX_WORDS || (loose && q.slots.length < GREETING_MAX_WORDS + 2);
  if (question.decision !== 'fallback') return few && (top?.keyword ?? 0) === 0;
  // "Hi, how do I register my new motorbike online?": a plausible guide and a question is asked.
  if (question.plausible === true && asksHow(q.tokens)) return false;
  return few || (q.slots.length < GREETING_LONG_WORDS && question.plausible !== true && !text.includes('?'));
}

/** Words that open a question of how to do something ("how", "làm sao", "cách", "thế nào"), folded. */
const HOW = [['how'], ['lam', 'sao'], ['cach'], ['the', 'nao'], ['ra', 'sao'], ['nhu', 'nao']];

/** Question words (folded): "bao nhiêu", "ở đâu", "what", "how"… */
const ASK = [
  ['bao', 'nhieu'], ['o', 'dau'], ['the', 'nao'], ['khi', 'nao'], ['what'], ['how'], ['where'], ['when'], ['why'], ['who'], ['which'],
  // a request ("cho em xin số taxi", "chỉ em nấu lẩu mắm với", "can you tell me …")
  ['cho', 'xin'], ['cho', 'hoi'], ['chi', 'em'], ['chi', 'giup'], ['chi', 'gium'], ['chi', 'dum'], ['giup', 'em'], ['giup', 'toi'],
  ['help', 'me'], ['tell', 'me'], ['can', 'you'], ['could', 'you'],
];
/** A yes/no question's last word ("… có bán không", "… được ko"), folded. */
const YES_NO_END: ReadonlySet<string> = new Set(['khong', 'ko', 'k', 'kg', 'khg', 'hong', 'hok', 'chua']);

/** Whether the message asks something: a question mark, a question word, or a yes/no ending. */
function asksSomething(tokens: readonly string[], text: string): boolean {
  return text.includes('?') || YES_NO_END.has(tokens[tokens.length - 1] ?? '') || holdsAny(tokens, ASK);
}

/** Whether the message's words (folded) ask how to do something. */
function asksHow(tokens: readonly string[]): boolean {
  return holdsAny(tokens, HOW);
}

/** Whether the words (folded) hold one of the phrases, word for word. */
function holdsAny(tokens: readonly string[], phrases: readonly (readonly string[])[]): boolean {
  return tokens.some((_, i) => phrases.some((w) => w.every((x, j) => tokens[i + j] === x)));
}

/** The guides to show, rounded. */
function toRanked(cands: readonly ScoredCandidate[], n: number): RankedGuide[] {
  return cands.slice(0, n).map((c) => ({ id: c.id, score: Math.round(c.score * 1000) / 1000 }));
}

/** The result: an intent when the message is one (a person, a scam report…), else the question's decision. */
function resultOf(p: IndexParts, q: AnalysedQuery, text: string, candidates: readonly ScoredCandidate[], question: QuestionDecision): SearchResult {
  const normalized = q.normalized;
  const intent: IntentName | undefined = q.intents[0];
  const guidesShown = toRanked(candidates, Math.max(question.show, Math.min(3, candidates.length)));
  if (intent === 'handoff') return { decision: 'handoff', guides: guidesShown, confidence: 0.95, intent, normalized };
  if ((intent === 'frustration' || intent === 'bot-question') && question.decision !== 'answer') {
    // Anger, or "are you a bot?", with no question the guides answer ("hỏi hoài không được, bực
    // quá"): a person is offered.
    return { decision: 'handoff', guides: guidesShown, confidence: 0.8, intent, normalized };
  }
  if (intent === undefined && q.slots.length === 0) {
    // Nothing but padding, an emoji or "dạ": a greeting, with nothing asked.
    return { decision: 'greeting', guides: [], confidence: 0.9, normalized };
  }
  if (intent === 'scam-report' && p.hasScamGuide) {
    const rest = guidesShown.filter((g) => g.id !== SCAM_GUIDE_ID).slice(0, 2);
    const scam = candidates.find((c) => c.id === SCAM_GUIDE_ID);
    const guidesOut = [{ id: SCAM_GUIDE_ID, score: scam ? Math.round(scam.score * 1000) / 1000 : 0 }, ...rest];
    return { decision: 'answer', guides: guidesOut, confidence: 0.9, intent, normalized };
  }
  if (intent === 'not-covered' && !(candidates[0] !== undefined && candidates[0].keyword > 0)) {
    // A procedure no guide covers: the nearest guide would be a confident wrong answer. A
    // guide's own keyword phrase in the question ("đóng bhxh một lần") still gets it answered.
    return { decision: 'fallback', guides: guidesShown, confidence: 0.9, intent, normalized };
  }
  if (isAspectIntent(intent) && q.topicSlots === 0) {
    // Only "how much / how long / what papers / where": about the guide the citizen has open
    // (the dialogue knows which); nothing here to rank.
    return { decision: 'fallback', guides: [], confidence: 0.9, intent, normalized };
  }
  if (isGreeting(q, text, candidates, question)) {
    return { decision: 'greeting', guides: guidesShown, confidence: 0.95, ...(intent ? { intent } : {}), normalized };
  }
  const base = {
    decision: question.decision,
    guides: question.decision === 'clarify' ? toRanked(candidates, question.show) : guidesShown,
    confidence: question.confidence,
    normalized,
    ...(question.plausible ? { plausible: true as const } : {}),
  };
  // `not-covered` on a result means declined: a question a guide's keyword still answers does not carry it.
  return intent && intent !== 'not-covered' ? { ...base, intent } : base;
}
