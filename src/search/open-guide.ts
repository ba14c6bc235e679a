/**
 * Whether a message stays on the guide the citizen has open ("có mất tiền hông", "nộp rồi mà bị
 * từ chối") or names a new topic ("còn viện phí thì quét QR được không"). Only the message's
 * topic words are weighed (not its "how much / where / refused" words): a new topic is one that
 * another guide explains well and clearly better than the open one.
 */
import type { OpenGuideFit } from '../core/ports.ts';
import type { ScoredCandidate } from './decide.ts';
import type { IndexParts } from './index-parts.ts';
import type { AnalysedQuery } from './query-types.ts';
import { isAspectIntent } from '../core/guide.ts';
import { foldText } from '../core/text.ts';
import { levelWordAt } from './places.ts';
import { querySubjects } from './subjects.ts';
import { reportsTrouble } from './trouble.ts';

/** Focus on the topic words another guide needs to take the message away from the open one. */
const NEW_TOPIC_MIN_FOCUS = 0.5;
/**
 * … and the weight (idf) of the topic words it explains: generic words ("tiền", "nữa", "con")
 * found in every guide are no new topic; "viện phí", "quét QR" are.
 */
const NEW_TOPIC_MIN_WEIGHT = 2;
/** … and its lead over the open guide's focus on them. */
const NEW_TOPIC_LEAD = 0.25;
/** Focus of a rival whose keyword phrase the message's topic words make (see {@link openGuideFit}). */
const NAMED_TOPIC_FOCUS = 0.9;
/** Candidates weighed against the open guide. */
const RIVALS = 5;

/** The open guide's fit for a message (as typed and analysed) and its ranked candidates. */
export function openGuideFit(p: IndexParts, text: string, q: AnalysedQuery, candidates: readonly ScoredCandidate[], id: string): OpenGuideFit | undefined {
  const doc = p.docOf.get(id);
  if (doc === undefined) return undefined;
  const problem = p.problems.best(doc, messageWords(q), true);
  const reports = reportsTrouble(p.lexicon.trouble, p.lexicon.stopwords, text);
  const withProblem = { ...(problem ? { problem: problem.index } : {}), ...(reports ? { reports } : {}) };
  const where = q.intents.includes('ask-where');
  const topic: AnalysedQuery = { ...q, slots: q.slots.filter((s, i) => !s.aspect && !s.grammar && !s.place && !(where && levelWordAt(q.slots, i))), links: [] };
  // Only grammar words besides the follow-up ("chủ nhật có làm hông"): no new topic.
  if (topic.slots.length === 0) return { id, stays: true, ...withProblem };
  if (candidates[0]?.id === id) return { id, stays: true, ...withProblem };
  const weight = topic.slots.reduce((sum, s) => sum + (s.repeat ? 0 : s.weight), 0);
  const own = p.ranker.evaluate(topic, doc);
  let stays = true;
  // A report of trouble that names no app is about the app the citizen is using: a guide about
  // another app ("quên mật khẩu" is also VNeID's) does not take it ("nhập sai mật khẩu bị khóa
  // rồi" inside the VssID guide).
  const report = reports || q.intents.includes('ask-problem');
  const ownApps = p.mentionsOf[doc] ?? 0;
  const appless = report && querySubjects(p.lexicon, q) === 0;
  for (const c of candidates.slice(0, RIVALS)) {
    const rival = p.docOf.get(c.id);
    if (rival === undefined || rival === doc) continue;
    const rivalApps = p.subjectsOf[rival] ?? 0;
    if (appless && rivalApps !== 0 && (rivalApps & ownApps) === 0) continue;
    const e = p.ranker.evaluate(topic, rival);
    const keywordOnlyThere = e.keyword > 0 && own.keyword === 0;
    const strong = e.focus >= NEW_TOPIC_MIN_FOCUS && e.focus * weight >= NEW_TOPIC_MIN_WEIGHT;
    if (strong && (e.focus - own.focus >= NEW_TOPIC_LEAD || keywordOnlyThere)) stays = false;
    // Common words that make one of the rival's keyword phrases, which it explains whole and the
    // open guide clearly less ("lên mức 2 thì đi đâu làm" inside the level-1 guide).
    else if (keywordOnlyThere && e.focus >= NAMED_TOPIC_FOCUS && e.focus - own.focus >= NEW_TOPIC_LEAD) stays = false;
    // The message's best guide, named by two words of its title that few titles share and the
    // open guide's lacks ("tra cứu" inside the fee-payment guide, "mức 2" inside the login guide).
    else if (c === candidates[0] && e.focus >= NEW_TOPIC_MIN_FOCUS && namesTitleOf(p, q, rival, doc)) stays = false;
  }
  if (stays && namesNextGuide(p, q, candidates, doc)) stays = false;
  return { id, stays, ...withProblem };
}

/**
 * Whether the whole message, its follow-up words too, is the next step the open guide points to
 * (one of its `related` guides, ranked first with one of its keyword phrases, and explaining the
 * message clearly better): "nộp xong rồi đóng phí sao" after the filing guide is the fee-payment
 * guide, "vậy làm thẻ mới ở đâu" after the validity guide is the ID-card guide.
 */
function namesNextGuide(p: IndexParts, q: AnalysedQuery, candidates: readonly ScoredCandidate[], doc: number): boolean {
  const top = candidates[0];
  const rival = top ? p.docOf.get(top.id) : undefined;
  if (top === undefined || top.keyword === 0 || rival === undefined || rival === doc || !p.guides[doc]!.related.includes(top.id)) return false;
  const whole: AnalysedQuery = { ...q, slots: q.slots.filter((s) => !s.grammar && !s.place), links: [] };
  const e = p.ranker.evaluate(whole, rival);
  const own = p.ranker.evaluate(whole, doc);
  // with a keyword phrase the open guide lacks, ahead by less: focus nears 1 for both
  const lead = e.keyword > 0 && own.keyword === 0 ? NEXT_GUIDE_KEYWORD_LEAD : NEW_TOPIC_LEAD;
  return e.focus >= NEW_TOPIC_MIN_FOCUS && e.focus - own.focus >= lead;
}

/** Lead over the open guide a related guide needs when only it holds a keyword phrase of the message. */
const NEXT_GUIDE_KEYWORD_LEAD = 0.1;

/** Titles sharing a pair of words, at most, for the pair to name one of them. */
const TITLE_PAIR_MAX_TITLES = 2;

interface TitlePairs {
  readonly of: readonly ReadonlySet<string>[];
  readonly titles: ReadonlyMap<string, number>;
}
const titlePairsCache = new WeakMap<object, TitlePairs>();

/** Each guide's title as pairs of adjacent folded words, and how many titles hold each pair. */
function titlePairs(p: IndexParts): TitlePairs {
  let cached = titlePairsCache.get(p.guides);
  if (!cached) {
    const of = p.guides.map((g) => {
      const w = foldText(g.title).split(' ');
      return new Set(w.slice(1).map((x, i) => `${w[i]} ${x}`));
    });
    const titles = new Map<string, number>();
    for (const pairs of of) for (const pair of pairs) titles.set(pair, (titles.get(pair) ?? 0) + 1);
    cached = { of, titles };
    titlePairsCache.set(p.guides, cached);
  }
  return cached;
}

/** Whether the message holds two adjacent words of the rival's title that name it and not the open guide. */
function namesTitleOf(p: IndexParts, q: AnalysedQuery, rival: number, open: number): boolean {
  const { of, titles } = titlePairs(p);
  const words = q.tokens;
  for (let i = 1; i < words.length; i++) {
    const pair = `${words[i - 1]} ${words[i]}`;
    // A follow-up's own words ("lệ phí", "trực tiếp") name a part, not a guide.
    const phrase = p.lexicon.intents.matchAt(words, i - 1);
    if (phrase && isAspectIntent(phrase.value)) continue;
    if (of[rival]!.has(pair) && !of[open]!.has(pair) && (titles.get(pair) ?? 0) <= TITLE_PAIR_MAX_TITLES) return true;
  }
  return false;
}

/** The message's words (as typed, read in standard words, and as matched) for problem signs. */
export function messageWords(q: AnalysedQuery): Set<string> {
  return new Set([...q.tokens, ...q.words]);
}
