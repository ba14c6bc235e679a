/**
 * BM25 ranking in two passes. Pass 1 adds precomputed contributions of every query term into
 * a reused accumulator and keeps a shortlist. Pass 2 rescores the shortlist exactly: per slot
 * the best reading counts once, typed diacritics that match count fully, and it measures the
 * evidence confidence is built on (coverage of content words, phrase pairs, short fields).
 */
import { Bm25Index, type Postings } from './bm25.ts';
import type { KeywordPhrases } from './keywords.ts';
import type { AnalysedQuery } from './query.ts';

/** Weight of an adjacent pair in coverage, relative to its inverse document frequency. */
export const LINK_WEIGHT = 0.5;

/** Score added per unit of weight of a whole keyword phrase found in the question. */
export const KEYWORD_FACTOR = 1;

/** Credit for a word whose folded form matches but whose typed diacritics do not. */
export const ACCENT_MISS = 0.3;

/** What pass 2 knows about one candidate guide. */
export interface Candidate {
  /** Document number (index into the guide list). */
  readonly doc: number;
  /** Exact BM25 score (best reading per slot, plus phrase pairs). */
  readonly score: number;
  /** 0..1: weighted share of the query's content words found in the guide. */
  readonly coverage: number;
  /** 0..1: like coverage, each word credited by the field it is found in (title 1 … steps 0.35). */
  readonly focus: number;
  /** Adjacent query word pairs found as pairs in the guide. */
  readonly linkHits: number;
  /** Weight of the heaviest keyword phrase of the guide found in the question (0: none). */
  readonly keyword: number;
}

/** Reusable scratch memory for one index (queries run one at a time: the index is synchronous). */
export class Ranker {
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;

  constructor(
    private readonly index: Bm25Index,
    private readonly keywords: KeywordPhrases,
  ) {
    this.acc = new Float64Array(index.size);
    this.touched = new Int32Array(index.size);
  }

  private add(p: Postings | undefined, weight: number): void {
    if (!p) return;
    const { acc, touched } = this;
    for (let i = 0; i < p.docs.length; i++) {
      const d = p.docs[i]!;
      if (acc[d] === 0) touched[this.touchedCount++] = d;
      acc[d]! += p.scores[i]! * weight;
    }
  }

  /** Pass 1: documents with any evidence, the best `limit` by approximate score. */
  shortlist(q: AnalysedQuery, limit: number): number[] {
    const idx = this.index;
    for (const slot of q.slots) {
      for (const alt of slot.alts) {
        for (const w of alt.words) this.add(idx.get(w.term), w.quality);
        for (const pair of alt.pairs) this.add(idx.get(pair), 1);
      }
    }
    for (const link of q.links) for (const pair of link) this.add(idx.get(pair), 1);

    const topDocs: number[] = [];
    const topScores: number[] = [];
    for (let i = 0; i < this.touchedCount; i++) {
      const d = this.touched[i]!;
      const s = this.acc[d]!;
      this.acc[d] = 0;
      if (topDocs.length === limit && s <= topScores[limit - 1]!) continue;
      let k = topDocs.length < limit ? topDocs.length : limit - 1;
      while (k > 0 && (topScores[k - 1]! < s || (topScores[k - 1] === s && topDocs[k - 1]! > d))) {
        topScores[k] = topScores[k - 1]!;
        topDocs[k] = topDocs[k - 1]!;
        k--;
      }
      topScores[k] = s;
      topDocs[k] = d;
    }
    this.touchedCount = 0;
    return topDocs;
  }

  /** Pass 2: exact score and evidence for one document. */
  evaluate(q: AnalysedQuery, doc: number): Candidate {
    const idx = this.index;
    let score = 0;
    let covNum = 0;
    let covDen = 0;
    let focusNum = 0;
    for (const slot of q.slots) {
      covDen += slot.weight;
      let bestScore = 0;
      let bestCov = 0;
      let bestFocus = 0;
      for (const alt of slot.alts) {
        if (alt.gate && !alt.gate.some((g) => Bm25Index.find(idx.get(g)!, doc) >= 0)) continue;
        let s = 0;
        let c = 0;
        let sh = 0;
        let den = 0;
        for (const w of alt.words) {
          den += w.idf;
          const p = idx.get(w.term);
          const k = p ? Bm25Index.find(p, doc) : -1;
          if (k < 0) continue;
          let f = w.quality;
          if (w.accent) {
            const pa = idx.get(w.accent);
            if (!pa || Bm25Index.find(pa, doc) < 0) f *= ACCENT_MISS;
          }
          s += p!.scores[k]! * f;
          c += w.idf * f;
          sh += w.idf * f * idx.credit(p!.fields[k]!);
        }
        for (const pair of alt.pairs) {
          const p = idx.get(pair);
          const k = p ? Bm25Index.find(p, doc) : -1;
          if (k >= 0) s += p!.scores[k]!;
        }
        if (s > bestScore) bestScore = s;
        if (den > 0) {
          if (c / den > bestCov) bestCov = c / den;
          if (sh / den > bestFocus) bestFocus = sh / den;
        }
      }
      score += bestScore;
      covNum += slot.weight * bestCov;
      focusNum += slot.weight * bestFocus;
    }
    // Adjacent pairs the index knows ("tiền điện", "viện phí") are content too: the phrase is
    // often the whole topic while its syllables are everywhere ("điện" is in most guides).
    let linkHits = 0;
    for (const link of q.links) {
      let best = 0;
      let bestIdf = 0;
      let credit = 0;
      for (const pair of link) {
        const p = idx.get(pair)!;
        if (p.idf > bestIdf) bestIdf = p.idf;
        const k = Bm25Index.find(p, doc);
        if (k >= 0 && p.scores[k]! > best) {
          best = p.scores[k]!;
          credit = idx.credit(p.fields[k]!);
        }
      }
      const weight = bestIdf * LINK_WEIGHT;
      covDen += weight;
      if (best > 0) {
        score += best;
        linkHits++;
        covNum += weight;
        focusNum += weight * credit;
      }
    }
    const keyword = q.phrases.length > 0 ? this.keywords.best(q.phrases, doc) : 0;
    score += keyword * KEYWORD_FACTOR;
    return {
      doc,
      score,
      keyword,
      coverage: covDen > 0 ? covNum / covDen : 0,
      focus: covDen > 0 ? focusNum / covDen : 0,
      linkHits,
    };
  }
}
