/**
 * A field-weighted BM25 index (BM25F-style) over terms (folded syllables, accented syllables,
 * adjacent syllable pairs, English stems). Every (term, document) contribution is computed at
 * build time, so a query only adds precomputed numbers. Postings are sorted by document, so
 * "does document d contain term t" is a binary search.
 */
import { ITEMS_PER_STEP, runSteps, type Steps } from './steps.ts';
import { TermTable } from './term-table.ts';

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

/** Bits per field in a packed term-frequency number; a field's count saturates at 127. */
const TF_BITS = 7;
const TF_MAX = (1 << TF_BITS) - 1;
/** 2^(7f): adding it to a packed number counts one more occurrence in field f. */
const FIELD_UNIT: readonly number[] = Array.from({ length: 7 }, (_, f) => 2 ** (TF_BITS * f));
/** Entries per chunk of the builder's arrays (2^16). */
const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;
/** 2^28: the packed numbers split into two 32-bit-safe integers (4 fields + 3 fields). */
const LOW_SPLIT = 2 ** (TF_BITS * 4);

/**
 * Builds the index: for each document in order, give its terms with `term` and close it with
 * `endDocument`; then call `build` once.
 */
export class Bm25Builder {
  private readonly fieldLengths: number[] = [];
  // Postings as they arrive, one entry per (term, document), appended in document order:
  // sequential writes into fixed-size chunks of flat arrays (thousands of growing per-term
  // arrays cost far more; one flat array that doubles copies tens of MB at a time, in one go).
  private readonly termChunks: Int32Array[] = [];
  private readonly docChunks: Int32Array[] = [];
  private readonly tfChunks: Float64Array[] = [];
  private entries = 0;
  private docCount = 0;
  /** Per term id: the last document it occurred in, and that occurrence's entry. */
  private lastDoc = new Int32Array(1 << 14).fill(-1);
  private entryOf = new Int32Array(1 << 14);

  constructor(
    private readonly fields: readonly FieldSpec[],
    /** The table the caller's term ids come from. */
    readonly table: TermTable = new TermTable(),
  ) {
    if (fields.length > 7) throw new RangeError('at most 7 fields');
  }

  /** Records one occurrence of term `id` in field `field` of the document being added. */
  term(id: number, field: number): void {
    if (id >= this.lastDoc.length) this.growTermArrays(id);
    let e = this.entryOf[id]!;
    if (this.lastDoc[id] !== this.docCount) {
      // First occurrence in this document: a new (term, document) entry.
      this.lastDoc[id] = this.docCount;
      e = this.entries++;
      const c = e >>> CHUNK_BITS;
      if (c === this.termChunks.length) this.addChunk();
      const i = e & CHUNK_MASK;
      this.entryOf[id] = e;
      this.termChunks[c]![i] = id;
      this.docChunks[c]![i] = this.docCount;
      this.tfChunks[c]![i] = 0;
    }
    const unit = FIELD_UNIT[field]!;
    const tf = this.tfChunks[e >>> CHUNK_BITS]!;
    const packed = tf[e & CHUNK_MASK]!;
    if (Math.floor(packed / unit) % (TF_MAX + 1) < TF_MAX) tf[e & CHUNK_MASK] = packed + unit;
  }

  /**
   * Ends the document whose terms were given with `term`. `lengths[f]` is the length of
   * field f in words. Returns the document's number (0, 1, 2… in the order added).
   */
  endDocument(lengths: readonly number[]): number {
    const nf = this.fields.length;
    for (let f = 0; f < nf; f++) this.fieldLengths.push(lengths[f] ?? 0);
    return this.docCount++;
  }

  private growTermArrays(id: number): void {
    let size = this.lastDoc.length;
    while (size <= id) size *= 2;
    const lastDoc = new Int32Array(size).fill(-1);
    lastDoc.set(this.lastDoc);
    const entryOf = new Int32Array(size);
    entryOf.set(this.entryOf);
    this.lastDoc = lastDoc;
    this.entryOf = entryOf;
  }

  private addChunk(): void {
    this.termChunks.push(new Int32Array(CHUNK_SIZE));
    this.docChunks.push(new Int32Array(CHUNK_SIZE));
    this.tfChunks.push(new Float64Array(CHUNK_SIZE));
  }

  /** Computes every contribution and returns the read-only index. */
  build(): Bm25Index {
    return runSteps(this.buildSteps());
  }

  /** {@link Bm25Builder.build} as steps (see steps.ts): it yields every few thousand postings. */
  *buildSteps(): Steps<Bm25Index> {
    const n = this.docCount;
    const nf = this.fields.length;
    const norm = yield* this.lengthNorms();
    const credit = new Float32Array(256);
    for (let mask = 0; mask < 256; mask++) {
      for (let f = 0; f < nf; f++) if (mask & (1 << f)) credit[mask] = Math.max(credit[mask]!, this.fields[f]!.credit);
    }
    // Counting sort of the entries by term (stable: each term's documents stay in order).
    const terms = this.table.terms.length;
    const start = new Int32Array(terms + 1);
    for (let c = 0; c < this.termChunks.length; c++) {
      countTerms(start, this.termChunks[c]!, Math.min(CHUNK_SIZE, this.entries - c * CHUNK_SIZE));
      yield;
    }
    for (let t = 0; t < terms; t++) start[t + 1]! += start[t]!;
    const next = start.slice(0, terms);
    const allDocs = new Int32Array(this.entries);
    const allScores = new Float32Array(this.entries);
    const allFields = new Uint8Array(this.entries);
    const idf = new Float64Array(terms);
    for (let t = 0; t < terms; t++) idf[t] = bm25Idf(n, start[t + 1]! - start[t]!);
    // The postings are written in scattered places: their pages are mapped first, a slice at a
    // time (the operating system zeroes each page on its first touch).
    for (const array of [allDocs, allScores, allFields]) yield* touchPages(array);
    const out: ScoredPostings = { docs: allDocs, scores: allScores, fields: allFields, next, idf, norm, nf };
    for (let c = 0; c < this.termChunks.length; c++) {
      const count = Math.min(CHUNK_SIZE, this.entries - c * CHUNK_SIZE);
      // A few thousand at a time: the first calls run before the function is optimised.
      for (let from = 0; from < count; from += ITEMS_PER_STEP) {
        scoreChunk(out, this.termChunks[c]!, this.docChunks[c]!, this.tfChunks[c]!, from, Math.min(count, from + ITEMS_PER_STEP));
        yield;
      }
    }
    const postings = new Map<string, Postings>();
    for (let t = 0; t < terms; t++) {
      const a = start[t]!;
      const b = start[t + 1]!;
      if (a !== b) {
        postings.set(this.table.terms[t]!, {
          docs: allDocs.subarray(a, b),
          scores: allScores.subarray(a, b),
          fields: allFields.subarray(a, b),
          idf: bm25Idf(n, b - a),
        });
      }
      if ((t & (ITEMS_PER_STEP - 1)) === 0) yield;
    }
    this.entries = 0;
    this.termChunks.length = 0;
    this.docChunks.length = 0;
    this.tfChunks.length = 0;
    return new Bm25Index(n, postings, credit);
  }

  /** Length normalisation per (document, field), computed once. */
  private *lengthNorms(): Steps<Float64Array> {
    const n = this.docCount;
    const nf = this.fields.length;
    const avg = this.fields.map((_, f) => {
      let sum = 0;
      for (let d = 0; d < n; d++) sum += this.fieldLengths[d * nf + f]!;
      return Math.max(1, sum / Math.max(1, n));
    });
    const norm = new Float64Array(n * nf);
    for (let d = 0; d < n; d++) {
      for (let f = 0; f < nf; f++) {
        const spec = this.fields[f]!;
        norm[d * nf + f] = spec.weight / (1 - spec.b + (spec.b * this.fieldLengths[d * nf + f]!) / avg[f]!);
      }
      if ((d & (ITEMS_PER_STEP - 1)) === 0) yield;
    }
    return norm;
  }
}

/** Writes zeros over `array` a slice at a time (see {@link Bm25Builder.buildSteps}). */
function* touchPages(array: Int32Array | Float32Array | Uint8Array): Steps<void> {
  const slice = ITEMS_PER_STEP * 64;
  for (let from = 0; from < array.length; from += slice) {
    array.fill(0, from, from + slice);
    yield;
  }
}

/** Counts the first `count` term ids of a chunk into `start` (shifted by one, for the prefix sums). */
function countTerms(start: Int32Array, ids: Int32Array, count: number): void {
  for (let i = 0; i < count; i++) start[ids[i]! + 1]!++;
}

/** Where {@link scoreChunk} writes, and what it reads besides the chunk. */
interface ScoredPostings {
  readonly docs: Int32Array;
  readonly scores: Float32Array;
  readonly fields: Uint8Array;
  /** Per term: the next free slot of its postings (advanced as entries are placed). */
  readonly next: Int32Array;
  readonly idf: Float64Array;
  /** Length normalisation per (document, field). */
  readonly norm: Float64Array;
  readonly nf: number;
}

/**
 * Places entries `from`…`to` (exclusive) of one chunk (term ids, documents, packed field
 * frequencies) in their terms' postings with their BM25F contributions. A plain function, so
 * it is optimised on its own.
 */
function scoreChunk(out: ScoredPostings, terms: Int32Array, docs: Int32Array, tfs: Float64Array, from: number, to: number): void {
  const { next, idf, norm, nf } = out;
  for (let i = from; i < to; i++) {
    const t = terms[i]!;
    const at = next[t]!++;
    const doc = docs[i]!;
    const packed = tfs[i]!;
    // Unpack with integer ops: fields 0–3 in the low 28 bits, 4–6 above.
    const low = packed % LOW_SPLIT;
    const high = (packed - low) / LOW_SPLIT;
    const base = doc * nf;
    let ptf = 0;
    let mask = 0;
    for (let f = 0; f < nf; f++) {
      const tf = f < 4 ? (low >>> (TF_BITS * f)) & TF_MAX : (high >>> (TF_BITS * (f - 4))) & TF_MAX;
      if (tf === 0) continue;
      ptf += tf * norm[base + f]!;
      mask |= 1 << f;
    }
    out.docs[at] = doc;
    out.scores[at] = (idf[t]! * ptf * (K1 + 1)) / (ptf + K1);
    out.fields[at] = mask;
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
