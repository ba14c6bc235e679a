/**
 * BM25 ranking in two passes. Pass 1 adds precomputed contributions of every query term into
 * a reused accumulator and keeps a shortlist. Pass 2 rescores the shortlist exactly: per slot
 * the best reading counts once, typed diacritics that match count fully, and it measures the
 * evidence confidence is built on (coverage of content words, phrase pairs, short fields).
 */
import { Bm25Index, type Postings } from './bm25.ts';
import type { KeywordPhrases } from './keywords.ts';
import type { AnalysedQuery, QueryAlt, QuerySlot } from './query-types.ts';

/** Weight of an adjacent pair in coverage, relative to its inverse document frequency. */
export const LINK_WEIGHT = 0.5;

/** Score added per unit of weight of a whole keyword phrase found in the question. */
export const KEYWORD_FACTOR = 1;

/**
 * A query word this telling or more (inverse document frequency) found in a guide's title or
 * keywords anchors the question to that guide (see `Candidate.anchored`).
 */
export const ANCHOR_MIN_IDF = 0.5;

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
  /**
   * Some telling word or pair of the question is in the guide's title or keywords (or a whole
   * keyword phrase is in the question). A question that meets a guide only in its sample
   * questions or body ("vay vốn ngân hàng" in the marital-status guide's reasons) is not about it.
   */
  readonly anchored: boolean;
}

/** Reusable scratch memory for one index (queries run one at a time: the index is synchronous). */
export class Ranker {
  private readonly acc: Float64Array;
  /** Scratch for one reading's evidence (evaluate runs synchronously, one at a time). */
  private readonly reading: Reading = { score: 0, cov: 0, focus: 0, den: 0, anchored: false };
  private readonly touched: Int32Array;
  private touchedCount = 0;

  constructor(
    private readonly index: Bm25Index,
    private readonly keywords: KeywordPhrases,
    /** Bits of the fields that anchor a question (title, keywords, English title). */
    private readonly anchorFields: number,
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
    // Indexed loops over postings resolved at analysis: this runs for every message.
    const { slots, links } = q;
    for (let s = 0; s < slots.length; s++) {
      if (slots[s]!.repeat) continue;
      const alts = slots[s]!.alts;
      for (let a = 0; a < alts.length; a++) {
        const alt = alts[a]!;
        for (let i = 0; i < alt.words.length; i++) this.add(alt.words[i]!.postings, alt.words[i]!.quality);
        for (let i = 0; i < alt.pairs.length; i++) this.add(alt.pairs[i], 1);
      }
    }
    for (let l = 0; l < links.length; l++) {
      const link = links[l]!;
      for (let i = 0; i < link.length; i++) this.add(link[i], 1);
    }

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
    const acc: Evidence = { score: 0, covNum: 0, covDen: 0, focusNum: 0, anchored: false, linkHits: 0 };
    for (let si = 0; si < q.slots.length; si++) {
      const slot = q.slots[si]!;
      if (!slot.repeat) this.addSlot(acc, slot, doc);
    }
    this.addLinks(acc, q, doc);
    const keyword = q.phrases.length > 0 ? this.keywords.best(q.phrases, doc) : 0;
    acc.score += keyword * KEYWORD_FACTOR;
    return {
      doc,
      score: acc.score,
      keyword,
      coverage: acc.covDen > 0 ? acc.covNum / acc.covDen : 0,
      focus: acc.covDen > 0 ? acc.focusNum / acc.covDen : 0,
      linkHits: acc.linkHits,
      anchored: acc.anchored || keyword > 0,
    };
  }

  /**
   * The message's weight no guide can explain: its words that have no reading in any guide, as a
   * share of everything the evidence is weighed against (0..1). In a long story ("bà già rồi, con
   * trai đi làm xa…") these are the context around the question.
   */
  unknownShare(q: AnalysedQuery): number {
    let total = 0;
    let unknown = 0;
    for (const slot of q.slots) {
      if (slot.repeat) continue;
      const w = slot.weight * (slot.aspect ? ASPECT_SLOT_FACTOR : 1);
      total += w;
      if (slot.alts.length === 0) unknown += w;
    }
    for (const link of q.links) {
      let bestIdf = 0;
      for (const p of link) if (p.idf > bestIdf) bestIdf = p.idf;
      total += bestIdf * LINK_WEIGHT;
    }
    return total > 0 ? unknown / total : 0;
  }

  /** One content word: its best reading's score, coverage and field-credited coverage (focus). */
  private addSlot(acc: Evidence, slot: QuerySlot, doc: number): void {
    // A follow-up word ("bao lâu", "lệ phí", "bị từ chối") says what is asked, not which guide:
    // it counts, lightly, so the topic words decide.
    const k = slot.aspect ? ASPECT_SLOT_FACTOR : 1;
    acc.covDen += slot.weight * k;
    let bestScore = 0;
    let bestCov = 0;
    let bestFocus = 0;
    const r = this.reading;
    for (let ai = 0; ai < slot.alts.length; ai++) {
      const alt = slot.alts[ai]!;
      if (alt.gate !== undefined && !anyHas(alt.gate, doc)) continue;
      this.readAlt(alt, doc, r);
      if (r.anchored) acc.anchored = true;
      if (r.score > bestScore) bestScore = r.score;
      if (r.den > 0) {
        if (r.cov / r.den > bestCov) bestCov = r.cov / r.den;
        if (r.focus / r.den > bestFocus) bestFocus = r.focus / r.den;
      }
    }
    acc.score += bestScore * k;
    acc.covNum += slot.weight * k * bestCov;
    acc.focusNum += slot.weight * k * bestFocus;
  }

  /** One reading of a word against one document, written into `out` (reused: no allocation per call). */
  private readAlt(alt: QueryAlt, doc: number, out: Reading): void {
    const anchorFields = this.anchorFields;
    out.score = 0;
    out.cov = 0;
    out.focus = 0;
    out.den = 0;
    out.anchored = false;
    for (let wi = 0; wi < alt.words.length; wi++) {
      const w = alt.words[wi]!;
      out.den += w.idf;
      const p = w.postings;
      if (p === undefined) continue;
      const k = Bm25Index.find(p, doc);
      if (k < 0) continue;
      let f = w.quality;
      if (w.accentPostings !== undefined && Bm25Index.find(w.accentPostings, doc) < 0) f *= ACCENT_MISS;
      out.score += p.scores[k]! * f;
      if ((p.fields[k]! & anchorFields) !== 0 && w.idf >= ANCHOR_MIN_IDF) out.anchored = true;
      out.cov += w.idf * f;
      out.focus += w.idf * f * this.index.credit(p.fields[k]!);
    }
    for (let pi = 0; pi < alt.pairs.length; pi++) {
      const p = alt.pairs[pi]!;
      const k = Bm25Index.find(p, doc);
      if (k >= 0) {
        out.score += p.scores[k]!;
        if ((p.fields[k]! & anchorFields) !== 0) out.anchored = true;
      }
    }
  }

  /**
   * Adjacent pairs the index knows ("tiền điện", "viện phí") are content too: the phrase is
   * often the whole topic while its syllables are everywhere ("điện" is in most guides).
   */
  private addLinks(acc: Evidence, q: AnalysedQuery, doc: number): void {
    const anchorFields = this.anchorFields;
    const { links } = q;
    for (let li = 0; li < links.length; li++) {
      const link = links[li]!;
      let best = 0;
      let bestIdf = 0;
      let credit = 0;
      for (let pi = 0; pi < link.length; pi++) {
        const p = link[pi]!;
        if (p.idf > bestIdf) bestIdf = p.idf;
        const k = Bm25Index.find(p, doc);
        if (k >= 0 && (p.fields[k]! & anchorFields) !== 0) acc.anchored = true;
        if (k >= 0 && p.scores[k]! > best) {
          best = p.scores[k]!;
          credit = this.index.credit(p.fields[k]!);
        }
      }
      const weight = bestIdf * LINK_WEIGHT;
      acc.covDen += weight;
      if (best > 0) {
        acc.score += best;
        acc.linkHits++;
        acc.covNum += weight;
        acc.focusNum += weight * credit;
      }
    }
  }
}

/** Evidence gathered for one document while evaluating. */
interface Evidence {
  score: number;
  covNum: number;
  covDen: number;
  focusNum: number;
  anchored: boolean;
  linkHits: number;
}

/** One reading's evidence in one document (scratch, reused). */
interface Reading {
  score: number;
  /** Matched idf (quality-weighted) … */
  cov: number;
  /** … and credited by field. */
  focus: number;
  /** Total idf of the reading's words. */
  den: number;
  anchored: boolean;
}

/** Weight of a follow-up word (a slot of an aspect phrase) in score and coverage. */
const ASPECT_SLOT_FACTOR = 0.3;

/** True when some posting list contains `doc`. */
function anyHas(lists: readonly Postings[], doc: number): boolean {
  for (let i = 0; i < lists.length; i++) if (Bm25Index.find(lists[i]!, doc) >= 0) return true;
  return false;
}
