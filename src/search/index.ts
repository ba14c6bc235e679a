/**
 * The guide index: Vietnamese-aware normalisation, BM25 over syllables and syllable pairs,
 * fuse.js over the shortlist's short fields, rank fusion, and an evidence-based decision.
 * Pure and synchronous; everything heavy is precomputed by `buildGuideIndex`.
 */
import type { ContentBundle } from '../core/content.ts';
import { isAspectIntent, type IntentName } from '../core/guide.ts';
import type { GuideIndex, RankedGuide, SearchContext, SearchResult } from '../core/ports.ts';
import { Bm25Builder, type Bm25Index } from './bm25.ts';
import { ACCENT_PREFIX, FIELDS, TermWriter } from './corpus.ts';
import { DEFAULT_THRESHOLDS, decideQuestion, type DecisionThresholds, type ScoredCandidate } from './decide.ts';
import { rankBy, reciprocalRankFusion, weightedFusion } from './fusion.ts';
import { ShortFieldMatcher } from './fuzzy.ts';
import { KeywordPhrases } from './keywords.ts';
import { buildLexicon, type Lexicon } from './lexicon.ts';
import { EN_PREFIX } from './english.ts';
import { foldSyllable, tokenize } from './normalize.ts';
import { analyseQuery, type AnalyserContext, type AnalysedQuery } from './query.ts';
import { Ranker } from './rank.ts';
import { TypoIndex } from './typo.ts';

/**
 * Factor on the score and focus of a guide whose title names only other subjects (apps,
 * systems) than the one the question names: "vneid báo sai mật khẩu" is not about VssID,
 * however alike the rest of the words.
 */
const OTHER_SUBJECT = 0.6;
/**
 * Weight of a guide that names no app in its title and does not mention the one the question
 * names in its keywords either ("app vneid báo lỗi xác thực khuôn mặt" is not the bank-account
 * guide, though its face check shares the words). Milder: the guide may still be the answer.
 */
const UNMENTIONED_SUBJECT = 0.7;

/** A greeting or thank-you with this many content words or more beside it is a question. */
const GREETING_MAX_WORDS = 4;
/** Content words from which a message that fits no guide is also tried clause by clause. */
const LONG_MESSAGE_SLOTS = 8;
/** Where a message breaks into clauses: sentence and clause punctuation, line breaks. */
const CLAUSE_BREAK = /[,.;:!?\n…]+/;
/** Clauses tried from each end of a long message. */
const CLAUSES_EACH_END = 6;

/** The guide every scam report is answered with (when the content has it). */
export const SCAM_GUIDE_ID = 'scam-warning';

/** Tuning options; the defaults are what `npm run eval` measures. */
export interface GuideIndexOptions {
  /** Candidates kept from the first BM25 pass (default 20). */
  readonly shortlist?: number;
  /** Candidates scored by fuse.js (default 5). */
  readonly fuzzyPool?: number;
  /** Decision thresholds (defaults in DEFAULT_THRESHOLDS). */
  readonly thresholds?: Partial<DecisionThresholds>;
  /** Prepare every guide's fuzzy keyword patterns now rather than on first use (default false). */
  readonly eagerFuzzy?: boolean;
  /**
   * How rankings are fused: weighted sum of 0..1 signals (default) or reciprocal rank fusion.
   * The decision thresholds are measured for the weighted sum.
   */
  readonly fusion?: 'weighted' | 'rrf';
  /** Weights of BM25 (relative to the best), focus, and the fuse.js keyword match. */
  readonly fusionWeights?: readonly [number, number, number];
  /** RRF damping constant when `fusion` is 'rrf' (default 5: few candidates, top ranks matter). */
  readonly rrfK?: number;
}

/** What one query looked like inside the index (for eval reports and tuning). */
export interface SearchExplanation {
  readonly result: SearchResult;
  readonly query: AnalysedQuery;
  readonly candidates: readonly ScoredCandidate[];
}

/** A built index: the `GuideIndex` port plus introspection. */
export interface BuiltGuideIndex extends GuideIndex {
  /** Like `search`, with the analysed query and the scored candidates. */
  explain(query: string): SearchExplanation;
}

/** Content the index needs. */
export type IndexableContent = Pick<ContentBundle, 'guideList' | 'synonyms' | 'intents'>;

/**
 * Builds the index over a content snapshot. Throws only on programming errors (never on
 * content); an empty guide list gives an index that always falls back.
 */
export function buildGuideIndex(bundle: IndexableContent, options: GuideIndexOptions = {}): BuiltGuideIndex {
  const guides = bundle.guideList;
  const lexicon = buildLexicon(bundle.synonyms, bundle.intents);
  const builder = new Bm25Builder(FIELDS);
  const writer = new TermWriter(builder, lexicon);
  for (const g of guides) builder.endDocument(writer.guide(g));
  const index = builder.build();
  const vocab = new Map<string, number>();
  for (const term of index.terms()) {
    if (/^[a-z0-9]+$/.test(term)) vocab.set(term, index.get(term)!.docs.length);
  }
  const ctx: AnalyserContext = {
    index,
    lexicon,
    typos: new TypoIndex(vocab),
    ambiguousStops: ambiguousStopWords(index, lexicon),
    keywords: new KeywordPhrases(guides, index, lexicon),
  };
  const ranker = new Ranker(index, ctx.keywords, FIELDS.reduce((mask, f, i) => (f.credit >= 1 ? mask | (1 << i) : mask), 0));
  const subjectsOf = guides.map((g) => subjectMask(lexicon, `${g.title} ${g.en.title}`));
  const mentionsOf = guides.map((g) => subjectMask(lexicon, `${g.title} ${g.en.title} ${g.keywords.join(' ')} ${(g.en.keywords ?? []).join(' ')}`));
  const numberedOf = guides.map((g) => numberedWords(tokenize(`${g.title} ${g.en.title}`).map((t) => t.folded)));
  const matcher = new ShortFieldMatcher(guides);
  if (options.eagerFuzzy) matcher.warm();
  const shortlistSize = options.shortlist ?? 20;
  const fuzzyPool = options.fuzzyPool ?? 5;
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const fusion = options.fusion ?? 'weighted';
  const fusionWeights = options.fusionWeights ?? [0.6, 0.4, 0.1];
  const rrfK = options.rrfK ?? 5;
  const hasScamGuide = guides.some((g) => g.id === SCAM_GUIDE_ID);

  function rank(q: AnalysedQuery): ScoredCandidate[] {
    const asked = lexicon.subjects.size > 0 ? querySubjects(lexicon, q) : 0;
    const askedNumbers = numberedWords(q.words);
    const evaluated = ranker
      .shortlist(q, shortlistSize)
      .map((d) => {
        const c = ranker.evaluate(q, d);
        const named = subjectsOf[d]!;
        const factor =
          asked === 0 ? 1 : named !== 0 ? ((asked & named) !== 0 ? 1 : OTHER_SUBJECT) : (asked & mentionsOf[d]!) !== 0 ? 1 : UNMENTIONED_SUBJECT;
        const numbered = askedNumbers.size > 0 && contradicts(askedNumbers, numberedOf[d]!) ? NUMBER_MISMATCH : 1;
        const f = factor * numbered;
        return f === 1 ? c : { ...c, score: c.score * f, focus: c.focus * f };
      })
      .sort((a, b) => b.score - a.score || a.doc - b.doc);
    const pool = evaluated.slice(0, fuzzyPool);
    const fuzzy = matcher.scores(
      pool.map((c) => c.doc),
      q.english ? [] : q.words,
      q.guessed,
    );
    // fused[i] and fuzzy[i] belong to pool[i]; candidates past the pool have neither.
    let fused: number[];
    if (fusion === 'rrf') {
      // A list ranks only the candidates it has evidence for: a zero is no vote, not a last place.
      const at = pool.map((_, i) => i);
      const byScore = at;
      const byField = rankBy(at, (i) => pool[i]!.keyword + pool[i]!.focus).filter((i) => pool[i]!.keyword + pool[i]!.focus > 0);
      const byFuzzy = rankBy(at, (i) => fuzzy[i]!).filter((i) => fuzzy[i]! > 0);
      const votes = reciprocalRankFusion([byScore, byField, byFuzzy], fusionWeights, rrfK);
      fused = at.map((i) => votes.get(i) ?? 0);
    } else {
      const best = pool[0]?.score ?? 0;
      fused = pool.map((c, i) => weightedFusion([best > 0 ? c.score / best : 0, c.focus, fuzzy[i]!], fusionWeights));
    }
    const scored = evaluated.map(
      (c, i): ScoredCandidate => ({
        id: guides[c.doc]!.id,
        score: c.score,
        fused: i < pool.length ? fused[i]! : 0,
        coverage: c.coverage,
        focus: c.focus,
        linkHits: c.linkHits,
        keyword: c.keyword,
        anchored: c.anchored,
        fuzzy: i < pool.length ? fuzzy[i]! : 0,
      }),
    );
    // Array sort is stable: ties keep the BM25 order.
    return scored.sort((a, b) => b.fused + b.score * 1e-9 - (a.fused + a.score * 1e-9));
  }

  function toRanked(cands: readonly ScoredCandidate[], n: number): RankedGuide[] {
    return cands.slice(0, n).map((c) => ({ id: c.id, score: Math.round(c.score * 1000) / 1000 }));
  }

  /**
   * A message that fits no guide, read again with the app of the guide the citizen has open. The
   * app's name must not carry the answer alone ("giá vàng hôm nay" + "VssID" is still no
   * question about VssID): on the citizen's own words, the guide found must already fit (focus)
   * and share a phrase with them; the app only told it from its neighbours.
   */
  function withSubject(text: string, first: SearchExplanation, subject: string): SearchResult {
    const r = first.result;
    if (r.decision !== 'fallback' || r.intent !== undefined || r.normalized === '') return r;
    if (first.query.words.includes(foldSyllable(subject.toLowerCase()))) return r;
    const again = explain(`${text} ${subject}`).result;
    const top = again.guides[0];
    if ((again.decision !== 'answer' && again.decision !== 'clarify') || !top) return r;
    const own = first.candidates.find((c) => c.id === top.id);
    if (!own || own.focus < thresholds.minFocus || (own.linkHits === 0 && own.keyword === 0)) return r;
    return { ...again, normalized: r.normalized };
  }

  function explain(text: string): SearchExplanation {
    const full = explainWhole(text);
    if (full.result.decision !== 'fallback' || full.result.intent === 'not-covered' || full.query.slots.length < LONG_MESSAGE_SLOTS) return full;
    // A long message that fits no guide as a whole may hold one clear question among its context
    // ("bà già rồi, con trai đi làm xa, bà muốn coi tiền lương hưu vô tài khoản chưa"): a clause
    // answered on its own, by a guide the whole message also ranks in its top 3, is the answer.
    const all = text.split(CLAUSE_BREAK).filter((c) => c.trim().length > 0);
    if (all.length < 2) return full;
    // At most the first and last few clauses (where a question usually sits): a 4,000-character
    // message of commas must not cost hundreds of searches.
    const clauses = all.length > 2 * CLAUSES_EACH_END ? [...all.slice(0, CLAUSES_EACH_END), ...all.slice(-CLAUSES_EACH_END)] : all;
    const near = new Set(full.candidates.slice(0, 3).map((c) => c.id));
    let best: SearchResult | undefined;
    for (const clause of clauses) {
      const e = explainWhole(clause);
      const r = e.result;
      // A short clause answers easily ("hôm nay tôi đi chợ" meets the market guide): it must hold
      // one of the guide's keyword phrases.
      if (r.decision !== 'answer' || !near.has(r.guides[0]?.id ?? '') || !(e.candidates[0]?.id === r.guides[0]?.id && e.candidates[0]!.keyword > 0)) continue;
      if (!best || r.confidence > best.confidence) best = r;
    }
    if (!best) return full;
    const intent = full.result.intent ?? best.intent;
    const { intent: _dropped, ...rest } = best;
    return { ...full, result: { ...rest, ...(intent ? { intent } : {}), normalized: full.result.normalized, ...(full.query.english ? { english: true } : {}) } };
  }

  function explainWhole(text: string): SearchExplanation {
    const q = analyseQuery(ctx, text);
    const candidates = rank(q);
    const normalized = q.normalized;
    const intent: IntentName | undefined = q.intents[0];
    const question = decideQuestion(candidates, q.slots.length, thresholds, !q.intents.includes('not-covered'));
    const guidesShown = toRanked(candidates, Math.max(question.show, Math.min(3, candidates.length)));
    let result: SearchResult;
    if (intent === 'handoff') {
      result = { decision: 'handoff', guides: guidesShown, confidence: 0.95, intent, normalized };
    } else if (intent === 'scam-report' && hasScamGuide) {
      const rest = guidesShown.filter((g) => g.id !== SCAM_GUIDE_ID).slice(0, 2);
      const scam = candidates.find((c) => c.id === SCAM_GUIDE_ID);
      const guidesOut = [{ id: SCAM_GUIDE_ID, score: scam ? Math.round(scam.score * 1000) / 1000 : 0 }, ...rest];
      result = { decision: 'answer', guides: guidesOut, confidence: 0.9, intent, normalized };
    } else if (intent === 'not-covered' && !(candidates[0] !== undefined && candidates[0].keyword > 0)) {
      // A procedure no guide covers: the nearest guide would be a confident wrong answer. A
      // guide's own keyword phrase in the question ("đóng bhxh một lần") still gets it answered.
      result = { decision: 'fallback', guides: guidesShown, confidence: 0.9, intent, normalized };
    } else if (isAspectIntent(intent) && q.topicSlots === 0) {
      // Only "how much / how long / what papers / where": about the guide the citizen has open
      // (the dialogue knows which); nothing here to rank.
      result = { decision: 'fallback', guides: [], confidence: 0.9, intent, normalized };
    } else if (
      (intent === 'greeting' || intent === 'thanks') &&
      ((question.decision === 'fallback' && q.slots.length < GREETING_MAX_WORDS) || (question.decision === 'clarify' && q.slots.length < 2))
    ) {
      // A greeting with a real question gets the question answered (or clarified); with only a
      // stray word or two beside it ("cảm ơn bạn nhiều nha"), it is a greeting. A long message
      // that opens with "chào bạn" is a question the guides may not cover: it falls back (with
      // suggestions), rather than being greeted as if nothing had been asked.
      result = { decision: 'greeting', guides: guidesShown, confidence: 0.95, intent, normalized };
    } else {
      const base = {
        decision: question.decision,
        guides: question.decision === 'clarify' ? toRanked(candidates, question.show) : guidesShown,
        confidence: question.confidence,
        normalized,
      };
      // `not-covered` on a result means declined: a question a guide's keyword still answers does not carry it.
      result = intent && intent !== 'not-covered' ? { ...base, intent } : base;
    }
    if (q.english) result = { ...result, english: true };
    return { result, query: q, candidates };
  }

  return {
    size: guides.length,
    explain,
    search(text: string, context?: SearchContext): SearchResult {
      try {
        const first = explain(text);
        return context?.subject ? withSubject(text, first, context.subject) : first.result;
      } catch {
        // The port promises never to throw: a bug here must not take a conversation down.
        return { decision: 'fallback', guides: [], confidence: 0, normalized: '' };
      }
    },
  };
}

/** Weight of a guide whose title numbers a word differently than the question ("mức 2" for "mức 1"). */
const NUMBER_MISMATCH = 0.8;

/** Words followed by a small number ("mức 2", "level 2", "số 1") among folded words: word → numbers. */
function numberedWords(words: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i + 1 < words.length; i++) {
    const n = words[i + 1]!;
    if (!/^\d{1,2}$/.test(n) || /^\d+$/.test(words[i]!)) continue;
    const set = out.get(words[i]!) ?? new Set<string>();
    set.add(n);
    out.set(words[i]!, set);
  }
  return out;
}

/** True when the guide numbers a word of the question, but never with the question's number. */
function contradicts(asked: Map<string, Set<string>>, title: Map<string, Set<string>>): boolean {
  for (const [word, numbers] of asked) {
    const own = title.get(word);
    if (own && ![...numbers].some((n) => own.has(n))) return true;
  }
  return false;
}

/** Bits of the subjects (lexicon.subjects) a text names. */
function subjectMask(lexicon: Lexicon, text: string): number {
  let mask = 0;
  for (const t of tokenize(text)) mask |= lexicon.subjects.get(t.folded) ?? 0;
  return mask;
}

/** Bits of the subjects a query names, in any of its readings (an English word counts as typed). */
function querySubjects(lexicon: Lexicon, q: AnalysedQuery): number {
  let mask = 0;
  for (const slot of q.slots) {
    for (const alt of slot.alts) {
      for (const w of alt.words) {
        const term = w.term.startsWith(EN_PREFIX) ? w.term.slice(EN_PREFIX.length) : w.term;
        mask |= lexicon.subjects.get(term) ?? 0;
      }
    }
  }
  return mask;
}

/** One-word stop words whose folded form the guides also use with other diacritics. */
function ambiguousStopWords(index: Bm25Index, lexicon: Lexicon): Set<string> {
  const out = new Set<string>();
  for (const term of index.terms()) {
    if (!term.startsWith(ACCENT_PREFIX)) continue;
    const accented = term.slice(ACCENT_PREFIX.length);
    const folded = foldSyllable(accented);
    const stop = lexicon.stopwords.get([folded]);
    if (stop && !stop.has(accented)) out.add(folded);
  }
  return out;
}

/** A sample question that does not rank its own guide first. */
export interface SelfRetrievalMiss {
  readonly guideId: string;
  readonly question: string;
  /** The guide that ranked first instead (absent when nothing matched). */
  readonly got?: string;
  /** Declined because it names a `not-covered` topic of intents.yaml (whatever ranked first). */
  readonly notCovered?: true;
}

/**
 * Self-retrieval check for content:check: every `questions` entry of every guide must rank
 * that guide first. Returns the ones that do not (empty when all pass).
 */
export function selfRetrievalCheck(bundle: Pick<ContentBundle, 'guideList'>, index: GuideIndex): SelfRetrievalMiss[] {
  const misses: SelfRetrievalMiss[] = [];
  for (const g of bundle.guideList) {
    for (const question of g.questions) {
      const result = index.search(question);
      const top = result.guides[0]?.id;
      if (result.intent === 'not-covered') misses.push({ guideId: g.id, question, notCovered: true });
      else if (top !== g.id) misses.push(top ? { guideId: g.id, question, got: top } : { guideId: g.id, question });
    }
  }
  return misses;
}

export type { DecisionThresholds, ScoredCandidate } from './decide.ts';
