/**
 * A field-weighted BM25 index (BM25F-style) over terms (folded syllables, accented syllables,
 * adjacent syllable pairs, English stems). Every (term, document) contribution is computed at
 * build time, so a query only adds precomputed numbers. Postings are sorted by document, so
 * "does document d contain term t" is a binary search.
 */

/** One field of the documents, with its weight and BM25 length-normalisation `b`. */
export interface FieldSpec {
  readonly name: string;
  readonly weight: number;
  readonly b: number;
  /** 0..1: how much a word found (only) here says the document is about it. */
  readonly credit: number;
}

/** Postings of one term (parallel arrays, sorted by document number). */
export interface Postings {
  readonly docs: Int32Array;
  /** Precomputed BM25 contribution of the term to each document. */
  readonly scores: Float32Array;
  /** Bit i set: the term occurs in field i (see `Bm25Index.credit`). */
  readonly fields: Uint8Array;
  /** Inverse document frequency (BM25 form, always > 0). */
  readonly idf: number;
}

/** BM25 saturation constant. */
const K1 = 1.2;

/** Inverse document frequency as BM25 defines it, for `df` documents out of `n`. */
export function bm25Idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

interface TermBuild {
  readonly docs: number[];
  /** Term frequencies, `fields.length` numbers per posting. */
  readonly tfs: number[];
}

/** Builds the index: feed documents in order with `add`, then call `build` once. */
export class Bm25Builder {
  private readonly fieldLengths: number[] = [];
  private readonly terms = new Map<string, TermBuild>();
  private docCount = 0;

  constructor(private readonly fields: readonly FieldSpec[]) {
    if (fields.length > 8) throw new RangeError('at most 8 fields');
  }

  /**
   * Adds one document. `terms[f]` lists the terms of field f (with repetitions);
   * `lengths[f]` is that field's length in words.
   */
  add(terms: readonly (readonly string[])[], lengths: readonly number[]): number {
    const doc = this.docCount++;
    const nf = this.fields.length;
    for (let f = 0; f < nf; f++) this.fieldLengths.push(lengths[f] ?? 0);
    terms.forEach((list, f) => {
      for (const term of list) {
        let t = this.terms.get(term);
        if (!t) this.terms.set(term, (t = { docs: [], tfs: [] }));
        if (t.docs[t.docs.length - 1] !== doc) {
          t.docs.push(doc);
          for (let i = 0; i < nf; i++) t.tfs.push(0);
        }
        t.tfs[t.tfs.length - nf + f]! += 1;
      }
    });
    return doc;
  }

  /** Computes every contribution and returns the read-only index. */
  build(): Bm25Index {
    const n = this.docCount;
    const nf = this.fields.length;
    const avg = this.fields.map((_, f) => {
      let sum = 0;
      for (let d = 0; d < n; d++) sum += this.fieldLengths[d * nf + f]!;
      return Math.max(1, sum / Math.max(1, n));
    });
    // Length normalisation per (document, field), computed once.
    const norm = new Float64Array(n * nf);
    for (let d = 0; d < n; d++) {
      for (let f = 0; f < nf; f++) {
        const spec = this.fields[f]!;
        norm[d * nf + f] = spec.weight / (1 - spec.b + (spec.b * this.fieldLengths[d * nf + f]!) / avg[f]!);
      }
    }
    const credit = new Float32Array(256);
    for (let mask = 0; mask < 256; mask++) {
      for (let f = 0; f < nf; f++) if (mask & (1 << f)) credit[mask] = Math.max(credit[mask]!, this.fields[f]!.credit);
    }
    const postings = new Map<string, Postings>();
    for (const [term, t] of this.terms) {
      const df = t.docs.length;
      const idf = bm25Idf(n, df);
      const docs = Int32Array.from(t.docs);
      const scores = new Float32Array(df);
      const fields = new Uint8Array(df);
      for (let i = 0; i < df; i++) {
        const base = docs[i]! * nf;
        let ptf = 0;
        let mask = 0;
        for (let f = 0; f < nf; f++) {
          const tf = t.tfs[i * nf + f]!;
          if (tf === 0) continue;
          ptf += tf * norm[base + f]!;
          mask |= 1 << f;
        }
        scores[i] = (idf * ptf * (K1 + 1)) / (ptf + K1);
        fields[i] = mask;
      }
      postings.set(term, { docs, scores, fields, idf });
    }
    this.terms.clear();
    return new Bm25Index(n, postings, credit);
  }
}

/** The built, immutable index. */
export class Bm25Index {
  constructor(
    /** Number of documents. */
    readonly size: number,
    private readonly postings: ReadonlyMap<string, Postings>,
    private readonly creditByMask: Float32Array,
  ) {}

  /** Best field `credit` among the fields of a posting's mask. */
  credit(fieldMask: number): number {
    return this.creditByMask[fieldMask]!;
  }

  /** Postings of a term, or undefined when no document has it. */
  get(term: string): Postings | undefined {
    return this.postings.get(term);
  }

  /** True when some document has the term. */
  has(term: string): boolean {
    return this.postings.has(term);
  }

  /** Number of distinct terms. */
  get termCount(): number {
    return this.postings.size;
  }

  /** All terms (for building the typo lexicon). */
  terms(): IterableIterator<string> {
    return this.postings.keys();
  }

  /** Position of `doc` in the postings, or -1 (binary search). */
  static find(p: Postings, doc: number): number {
    let lo = 0;
    let hi = p.docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = p.docs[mid]!;
      if (d === doc) return mid;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
