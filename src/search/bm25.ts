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
  /** Bit i set: the term occurs in field i. */
  readonly fields: Uint8Array;
  /** Best `credit` among the fields the term occurs in. */
  readonly credit: Float32Array;
  /** Inverse document frequency (BM25 form, always > 0). */
  readonly idf: number;
}

/** BM25 saturation constant. */
const K1 = 1.2;

/** Inverse document frequency as BM25 defines it, for `df` documents out of `n`. */
export function bm25Idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Builds the index: feed documents in order with `add`, then call `build` once. */
export class Bm25Builder {
  private readonly fieldLengths: number[][] = [];
  /** term → (doc → per-field term frequencies) */
  private readonly tf = new Map<string, Map<number, Float32Array>>();
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
    this.fieldLengths.push(this.fields.map((_, f) => lengths[f] ?? 0));
    terms.forEach((list, f) => {
      for (const term of list) {
        let byDoc = this.tf.get(term);
        if (!byDoc) this.tf.set(term, (byDoc = new Map()));
        let row = byDoc.get(doc);
        if (!row) byDoc.set(doc, (row = new Float32Array(this.fields.length)));
        row[f]! += 1;
      }
    });
    return doc;
  }

  /** Computes every contribution and returns the read-only index. */
  build(): Bm25Index {
    const n = this.docCount;
    const avg = this.fields.map((_, f) => {
      let sum = 0;
      for (const l of this.fieldLengths) sum += l[f]!;
      return Math.max(1, sum / Math.max(1, n));
    });
    const postings = new Map<string, Postings>();
    for (const [term, byDoc] of this.tf) {
      const df = byDoc.size;
      const idf = bm25Idf(n, df);
      const docs = new Int32Array(df);
      const scores = new Float32Array(df);
      const fields = new Uint8Array(df);
      const credit = new Float32Array(df);
      let i = 0;
      // Maps iterate in insertion order and documents are added in order: already sorted.
      for (const [doc, row] of byDoc) {
        let ptf = 0;
        let mask = 0;
        let best = 0;
        const lens = this.fieldLengths[doc]!;
        for (let f = 0; f < row.length; f++) {
          const tf = row[f]!;
          if (tf === 0) continue;
          const spec = this.fields[f]!;
          ptf += (spec.weight * tf) / (1 - spec.b + (spec.b * lens[f]!) / avg[f]!);
          mask |= 1 << f;
          if (spec.credit > best) best = spec.credit;
        }
        docs[i] = doc;
        scores[i] = (idf * ptf * (K1 + 1)) / (ptf + K1);
        fields[i] = mask;
        credit[i] = best;
        i++;
      }
      postings.set(term, { docs, scores, fields, credit, idf });
    }
    return new Bm25Index(n, postings);
  }
}

/** The built, immutable index. */
export class Bm25Index {
  constructor(
    /** Number of documents. */
    readonly size: number,
    private readonly postings: ReadonlyMap<string, Postings>,
  ) {}

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
