/**
 * Term ids for building the index: every distinct term (syllable, accented syllable, pair,
 * English stem) gets a small integer while guides are read.
 */

/** Most distinct terms one index may hold (far beyond any real content). */
const MAX_TERMS = 2 ** 27;

/**
 * Gives every distinct term a small integer id while documents are read, so building the index
 * costs about one hash lookup per word: pairs are found by their two word ids in an
 * open-addressing table rather than by a freshly concatenated string.
 */
export class TermTable {
  private readonly ids = new Map<string, number>();
  private pairKeysA = new Int32Array(1 << 14);
  private pairKeysB = new Int32Array(1 << 14);
  private pairIdsAt = new Int32Array(1 << 14).fill(-1);
  private pairCount = 0;
  private readonly accentIds = new Map<string, number>();
  /** Term of each id. */
  readonly terms: string[] = [];

  /** The id of a term, new or known. */
  id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      if (id >= MAX_TERMS) throw new RangeError('too many distinct terms');
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  /** The id of the pair term of two words given by id (`pairTerm` joins them with a space). */
  pair(a: number, b: number): number {
    // Open addressing over typed arrays: pairs are looked up once per word of the content,
    // and a JS Map keyed by a*2^24+b (not a small integer) hashes slowly.
    let mask = this.pairKeysA.length - 1;
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const id = this.pairIdsAt[i]!;
      if (id < 0) break;
      if (this.pairKeysA[i] === a && this.pairKeysB[i] === b) return id;
    }
    const id = this.id(this.terms[a]! + ' ' + this.terms[b]!);
    if (++this.pairCount * 2 > this.pairKeysA.length) this.growPairs();
    mask = this.pairKeysA.length - 1;
    h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
    let i = h & mask;
    while (this.pairIdsAt[i]! >= 0) i = (i + 1) & mask;
    this.pairKeysA[i] = a;
    this.pairKeysB[i] = b;
    this.pairIdsAt[i] = id;
    return id;
  }

  private growPairs(): void {
    const oldA = this.pairKeysA;
    const oldB = this.pairKeysB;
    const oldId = this.pairIdsAt;
    const size = oldA.length * 2;
    this.pairKeysA = new Int32Array(size);
    this.pairKeysB = new Int32Array(size);
    this.pairIdsAt = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let j = 0; j < oldA.length; j++) {
      if (oldId[j]! < 0) continue;
      const a = oldA[j]!;
      const b = oldB[j]!;
      let i = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) & mask;
      while (this.pairIdsAt[i]! >= 0) i = (i + 1) & mask;
      this.pairKeysA[i] = a;
      this.pairKeysB[i] = b;
      this.pairIdsAt[i] = oldId[j]!;
    }
  }

  /** The id of a prefixed variant of a word ("~" + accented form). */
  prefixed(prefix: string, word: string): number {
    let id = this.accentIds.get(word);
    if (id === undefined) {
      id = this.id(prefix + word);
      this.accentIds.set(word, id);
    }
    return id;
  }
}

