/**
 * Ranking one analysed query: the BM25 shortlist, each candidate's evidence weighted by the
 * subject and number checks, fuse.js over the best few, and the fused order.
 */
import type { ScoredCandidate } from './decide.ts';
import { rankBy, reciprocalRankFusion, weightedFusion } from './fusion.ts';
import type { IndexParts } from './index-parts.ts';
import { messageWords } from './open-guide.ts';
import type { AnalysedQuery } from './query-types.ts';
import type { Candidate } from './rank.ts';
import { contradicts, NUMBER_MISMATCH, numberedWords, querySubjects, subjectFactor } from './subjects.ts';

/** Fused score added to the guide whose problem signs a problem report fits clearly best. */
const PROBLEM_BONUS = 0.2;
/** Least fit, and lead over the next guide's, for that. */
const PROBLEM_LEADER_FIT = 0.75;
const PROBLEM_LEADER_LEAD = 0.1;

/** The pooled guide whose problem signs fit the message clearly best, if one does. */
function problemLeader(p: IndexParts, docs: readonly number[], words: ReadonlySet<string>): number | undefined {
  const fits = docs.map((doc) => ({ doc, fit: p.problems.fit(doc, words) })).sort((a, b) => b.fit - a.fit);
  const [first, second] = fits;
  if (!first || first.fit < PROBLEM_LEADER_FIT || first.fit - (second?.fit ?? 0) < PROBLEM_LEADER_LEAD) return undefined;
  return first.doc;
}

/** The candidates for a query, best first (fused score, ties in BM25 order). */
export function rankCandidates(p: IndexParts, q: AnalysedQuery): ScoredCandidate[] {
  const evaluated = evaluateShortlist(p, q);
  const pool = evaluated.slice(0, p.fuzzyPool);
  const fuzzy = p.matcher.scores(
    pool.map((c) => c.doc),
    q.english ? [] : q.words,
    q.guessed,
  );
  // fused[i] and fuzzy[i] belong to pool[i]; candidates past the pool have neither.
  const fused = p.fusion === 'rrf' ? rrfScores(p, pool, fuzzy) : weightedScores(p, pool, fuzzy);
  // A problem report ("bị trừ tiền 2 lần", "báo chưa thanh toán") is about the guide whose
  // problem it describes, whatever procedure the story around it names.
  const bonusDoc = q.intents.includes('ask-problem') ? problemLeader(p, pool.map((c) => c.doc), messageWords(q)) : undefined;
  const bonus = (doc: number) => (doc === bonusDoc ? PROBLEM_BONUS : 0);
  const scored = evaluated.map(
    (c, i): ScoredCandidate => ({
      id: p.guides[c.doc]!.id,
      score: c.score,
      fused: i < pool.length ? fused[i]! + bonus(c.doc) : 0,
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

/** The shortlist's exact evidence, each weighted by the subject and number checks, by BM25 score. */
function evaluateShortlist(p: IndexParts, q: AnalysedQuery): Candidate[] {
  const asked = p.lexicon.subjects.size > 0 ? querySubjects(p.lexicon, q) : 0;
  const askedNumbers = numberedWords(q.words);
  return p.ranker
    .shortlist(q, p.shortlistSize)
    .map((d) => {
      const c = p.ranker.evaluate(q, d);
      const factor = subjectFactor(asked, p.subjectsOf[d]!, p.mentionsOf[d]!);
      const numbered = askedNumbers.size > 0 && contradicts(askedNumbers, p.numberedOf[d]!) ? NUMBER_MISMATCH : 1;
      const f = factor * numbered;
      return f === 1 ? c : { ...c, score: c.score * f, focus: c.focus * f };
    })
    .sort((a, b) => b.score - a.score || a.doc - b.doc);
}

/** Weighted sum of BM25 relative to the best, focus and fuzzy match. */
function weightedScores(p: IndexParts, pool: readonly Candidate[], fuzzy: readonly number[]): number[] {
  const best = pool[0]?.score ?? 0;
  return pool.map((c, i) => weightedFusion([best > 0 ? c.score / best : 0, c.focus, fuzzy[i]!], p.fusionWeights));
}

/** Reciprocal rank fusion: a list ranks only the candidates it has evidence for (a zero is no vote). */
function rrfScores(p: IndexParts, pool: readonly Candidate[], fuzzy: readonly number[]): number[] {
  const at = pool.map((_, i) => i);
  const byField = rankBy(at, (i) => pool[i]!.keyword + pool[i]!.focus).filter((i) => pool[i]!.keyword + pool[i]!.focus > 0);
  const byFuzzy = rankBy(at, (i) => fuzzy[i]!).filter((i) => fuzzy[i]! > 0);
  const votes = reciprocalRankFusion([at, byField, byFuzzy], p.fusionWeights, p.rrfK);
  return at.map((i) => votes.get(i) ?? 0);
}
