/**
 * A field-weighted BM25 index (BM25F-style) over terms (folded syllables, accented syllables,
 * adjacent syllable pairs, English stems). Every (term, document) contribution is computed at
 * build time, so a query only adds precomputed numbers. Postings are sorted by document, so
 * "does document d contain term t" is a binary search.
 */
import type { ArrayOwner, PostingsArena } from './postings-arena.ts';
import { ITEMS_PER_STEP, type Steps } from './steps.ts';
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
/** 2^28: the packed numbers split into two 32-bit-safe integers (4 fields + 3 fields). */
const LOW_SPLIT = 2 ** (TF_BITS * 4);

/**
 * One document's terms as the index keeps them between builds: each distinct term once, in the
 * order first written, with its packed count per field, and the length of each field in words.
 * A document's terms depend on its text alone, so a reload re-reads only the documents that
 * changed and builds the index from these (see index-memory.ts).
 */
export interface DocTerms {
  /** Term ids (of the builder's TermTable), each once, in the order first written. */
  readonly terms: Int32Array;
  /** Per term: its count in each field, TF_BITS bits a field (saturating at TF_MAX). */
  readonly tfs: Float64Array;
  /** The length of each field in words. */
  readonly lengths: readonly number[];
}

/**
 * Records the terms of one document at a time: give its terms with `term`, then close it with
 * `end`, which returns its {@link DocTerms}.
 */
export class DocTermsRecorder {
  private terms = new Int32Array(1024);
  private tfs = new Float64Array(1024);
  private count = 0;
  /** Number of the document being recorded (only compared with `lastDoc`). */
  private doc = 0;
  /** Per term id: the last document it occurred in, and its entry there. */
  private lastDoc = new Int32Array(1 << 14).fill(-1);
  private entryOf = new Int32Array(1 << 14);

  constructor(
    /** The table the caller's term ids come from. */
    readonly table: TermTable = new TermTable(),
  ) {}

  /** Records one occurrence of term `id` in field `field` of the document being recorded. */
  term(id: number, field: number): void {
    if (id >= this.lastDoc.length) this.growTermArrays(id);
    let e = this.entryOf[id]!;
    if (this.lastDoc[id] !== this.doc) {
      // First occurrence in this document: a new entry.
      this.lastDoc[id] = this.doc;
      if (this.count === this.terms.length) this.growEntries();
      e = this.count++;
      this.entryOf[id] = e;
      this.terms[e] = id;
      this.tfs[e] = 0;
    }
    const unit = FIELD_UNIT[field]!;
    const packed = this.tfs[e]!;
    if (Math.floor(packed / unit) % (TF_MAX + 1) < TF_MAX) this.tfs[e] = packed + unit;
  }

  /** Ends the document; `lengths[f]` is the length of field f in words. */
  end(lengths: readonly number[]): DocTerms {
    const out: DocTerms = { terms: this.terms.slice(0, this.count), tfs: this.tfs.slice(0, this.count), lengths: [...lengths] };
    this.count = 0;
    if (++this.doc === 0x7fffffff) {
      this.doc = 0;
      this.lastDoc.fill(-1);
    }
    return out;
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

  private growEntries(): void {
    const terms = new Int32Array(this.terms.length * 2);
    terms.set(this.terms);
    const tfs = new Float64Array(this.tfs.length * 2);
    tfs.set(this.tfs);
    this.terms = terms;
    this.tfs = tfs;
  }
}

/**
 * The read-only index over `docs` (document numbers are positions in `docs`; `terms`: the
 * strings of the term ids), computing every contribution, as steps (see steps.ts): it yields
 * every few thousand postings. The postings of a term are in document order, and the terms in
 * the order the documents first use them, so the index depends only on the documents, not on
 * the ids their terms were given. With `arena`, the flat posting arrays are taken from it (the
 * arrays of an index no longer in use) and the index is told to it as their owner.
 */
export function* bm25Steps(fields: readonly FieldSpec[], terms: readonly string[], docs: readonly DocTerms[], arena?: PostingsArena): Steps<Bm25Index> {
  if (fields.length > 7) throw new RangeError('at most 7 fields');
  const n = docs.length;
  const nf = fields.length;
  const norm = yield* lengthNorms(fields, docs);
  const credit = new Float32Array(256);
  for (let mask = 0; mask < 256; mask++) {
    for (let f = 0; f < nf; f++) if (mask & (1 << f)) credit[mask] = Math.max(credit[mask]!, fields[f]!.credit);
  }
  // Counting sort of the entries by term (stable: each term's documents stay in order), the
  // terms laid out in the order the documents first use them (slot k: the k-th term used).
  const termCount = terms.length;
  const count = new Int32Array(termCount);
  const order: number[] = [];
  let entries = 0;
  let sinceYield = 0;
  for (let d = 0; d < n; d++) {
    const ids = docs[d]!.terms;
    countTerms(count, ids, order);
    entries += ids.length;
    sinceYield += ids.length;
    if (sinceYield >= ITEMS_PER_STEP * 4) {
      sinceYield = 0;
      yield;
    }
  }
  const start = new Int32Array(order.length + 1);
  const next = new Int32Array(termCount);
  const idf = new Float64Array(termCount);
  for (let k = 0; k < order.length; k++) {
    const t = order[k]!;
    next[t] = start[k]!;
    start[k + 1] = start[k]! + count[t]!;
    idf[t] = bm25Idf(n, count[t]!);
  }
  // Every entry is written below, so reused arrays need no clearing. New ones are written in
  // scattered places: their pages are mapped first, a slice at a time (the operating system
  // zeroes each page on its first touch).
  const taken = arena?.take(entries);
  const allDocs = taken?.docs ?? new Int32Array(entries);
  const allScores = taken?.scores ?? new Float32Array(entries);
  const allFields = taken?.fields ?? new Uint8Array(entries);
  if (!taken?.reused) for (const array of [allDocs, allScores, allFields]) yield* touchPages(array);
  const out: ScoredPostings = { docs: allDocs, scores: allScores, fields: allFields, next, idf, norm, nf };
  sinceYield = 0;
  for (let d = 0; d < n; d++) {
    const doc = docs[d]!;
    scoreDoc(out, d, doc.terms, doc.tfs);
    sinceYield += doc.terms.length;
    if (sinceYield >= ITEMS_PER_STEP) {
      sinceYield = 0;
      yield;
    }
  }
  const slots = new Map<string, number>();
  for (let k = 0; k < order.length; k++) {
    slots.set(terms[order[k]!]!, k);
    if ((k & (ITEMS_PER_STEP - 1)) === 0) yield;
  }
  const index = new Bm25Index(n, { slots, start, docs: allDocs, scores: allScores, fields: allFields }, credit);
  arena?.own(index);
  return index;
}

/** Length normalisation per (document, field), computed once. */
function* lengthNorms(fields: readonly FieldSpec[], docs: readonly DocTerms[]): Steps<Float64Array> {
  const n = docs.length;
  const nf = fields.length;
  const avg = fields.map((_, f) => {
    let sum = 0;
    for (let d = 0; d < n; d++) sum += docs[d]!.lengths[f] ?? 0;
    return Math.max(1, sum / Math.max(1, n));
  });
  const norm = new Float64Array(n * nf);
  for (let d = 0; d < n; d++) {
    const lengths = docs[d]!.lengths;
    for (let f = 0; f < nf; f++) {
      const spec = fields[f]!;
      norm[d * nf + f] = spec.weight / (1 - spec.b + (spec.b * (lengths[f] ?? 0)) / avg[f]!);
    }
    if ((d & (ITEMS_PER_STEP - 1)) === 0) yield;
  }
  return norm;
}

/** Writes zeros over `array` a slice at a time (see {@link Bm25Builder.buildSteps}). */
function* touchPages(array: Int32Array | Float32Array | Uint8Array): Steps<void> {
  const slice = ITEMS_PER_STEP * 16;
  for (let from = 0; from < array.length; from += slice) {
    array.fill(0, from, from + slice);
    yield;
  }
}

/** Counts a document's term ids into `count`, appending to `order` each term met for the first time. */
function countTerms(count: Int32Array, ids: Int32Array, order: number[]): void {
  for (let i = 0; i < ids.length; i++) {
    const t = ids[i]!;
    if (count[t]!++ === 0) order.push(t);
  }
}

/** Where {@link scoreChunk} writes, and what it reads besides the chunk. */
interface ScoredPostings {
  readonly docs: Int32Array;
  readonly scores: Float32Array;
  readonly fields: Uint8Array;
  /** Per term id: the next free place of its postings (advanced as entries are placed). */
  readonly next: Int32Array;
  readonly idf: Float64Array;
  /** Length normalisation per (document, field). */
  readonly norm: Float64Array;
  readonly nf: number;
}

/**
 * Places the entries of document `doc` (term ids and packed field counts) in their terms'
 * postings with their BM25F contributions. A plain function, so it is optimised on its own.
 */
function scoreDoc(out: ScoredPostings, doc: number, terms: Int32Array, tfs: Float64Array): void {
  const { next, idf, norm, nf } = out;
  const base = doc * nf;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const at = next[t]!++;
    const packed = tfs[i]!;
    // Unpack with integer ops: fields 0–3 in the low 28 bits, 4–6 above.
    const low = packed % LOW_SPLIT;
    const high = (packed - low) / LOW_SPLIT;
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

/** Every term's postings, one after the other in flat arrays. */
interface FlatPostings {
  /** Term → its slot: its postings are entries start[slot] to start[slot + 1] (exclusive). */
  readonly slots: ReadonlyMap<string, number>;
  readonly start: Int32Array;
  readonly docs: Int32Array;
  readonly scores: Float32Array;
  readonly fields: Uint8Array;
}

/**
 * The built, immutable index. A term's {@link Postings} (views of the flat arrays) are made on
 * its first lookup and kept: a build makes no object per term (tens of thousands of them at
 * 5,000 guides, whose young-generation collections held up a reload's slices).
 */
export class Bm25Index implements ArrayOwner {
  private readonly made = new Map<string, Postings>();
  private revoked = false;

  constructor(
    /** Number of documents. */
    readonly size: number,
    private readonly flat: FlatPostings,
    private readonly creditByMask: Float32Array,
  ) {}

  /** Best field `credit` among the fields of a posting's mask. */
  credit(fieldMask: number): number {
    return this.creditByMask[fieldMask]!;
  }

  /**
   * Its posting arrays were taken back by a newer build (postings-arena.ts): a lookup throws
   * from now on, rather than read postings that are no longer its own.
   */
  revoke(): void {
    this.revoked = true;
    this.made.clear();
  }

  /** Postings of a term, or undefined when no document has it. */
  get(term: string): Postings | undefined {
    if (this.revoked) throw new Error('BM25 index retired: a newer build reuses its postings');
    let p = this.made.get(term);
    if (p) return p;
    const { slots, start, docs, scores, fields } = this.flat;
    const t = slots.get(term);
    if (t === undefined) return undefined;
    const a = start[t]!;
    const b = start[t + 1]!;
    p = { docs: docs.subarray(a, b), scores: scores.subarray(a, b), fields: fields.subarray(a, b), idf: bm25Idf(this.size, b - a) };
    this.made.set(term, p);
    return p;
  }

  /** Number of documents that have the term (0 when none). */
  docFrequency(term: string): number {
    const t = this.flat.slots.get(term);
    return t === undefined ? 0 : this.flat.start[t + 1]! - this.flat.start[t]!;
  }

  /** True when some document has the term. */
  has(term: string): boolean {
    return this.flat.slots.has(term);
  }

  /** Number of distinct terms. */
  get termCount(): number {
    return this.flat.slots.size;
  }

  /** All terms (for building the typo lexicon). */
  terms(): IterableIterator<string> {
    return this.flat.slots.keys();
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
