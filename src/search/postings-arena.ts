/**
 * The flat posting arrays of the BM25 index (bm25.ts), kept from one build to the next. At
 * 5,000 guides they are 26 MB, and a reload that allocated them anew made V8 count 26 MB more
 * memory outside its heap: every second or third reload crossed its external-memory trigger and
 * forced a full collection of the whole heap (a pause of 35–55 ms) in the middle of the reload.
 * With an arena a build writes into the arrays of an index that no longer serves instead.
 *
 * Only two sets are ever kept: the one under the index in use and a spare. The index in use is
 * the one the caller last {@link PostingsArena.commit committed} (after its snapshot was swapped
 * in); its arrays are never handed out. A spare's last index is revoked when its arrays are taken
 * back: it throws on lookup rather than reading postings that a newer build overwrote (searches
 * are synchronous, and a turn asks the live snapshot for its index, so nothing should look it up).
 * Until the first commit nothing is reused.
 */

/** The three parallel arrays of a build's postings. */
export interface FlatArrays {
  readonly docs: Int32Array;
  readonly scores: Float32Array;
  readonly fields: Uint8Array;
}

/** What was built on a set of arrays, told when they are taken back. */
export interface ArrayOwner {
  revoke(): void;
}

interface ArraySet extends FlatArrays {
  owner?: ArrayOwner;
}

/** A new set holds this much more than asked, so that the next builds, a little larger, fit. */
export const ARENA_HEADROOM = 1.125;

/** Posting arrays reused across builds; see the module comment. One build at a time. */
export class PostingsArena {
  #sets: ArraySet[] = [];
  #live: ArraySet | undefined;
  #last: ArraySet | undefined;
  #allocatedBytes = 0;

  /** Bytes of arrays allocated so far (tests, benchmarks). */
  get allocatedBytes(): number {
    return this.#allocatedBytes;
  }

  /**
   * Arrays of `entries` for a new build: views of the spare set when it is large enough (its
   * last index revoked), else new ones. `reused`: the arrays were written before (a build that
   * counts on zeros must clear them).
   */
  take(entries: number): FlatArrays & { readonly reused: boolean } {
    const live = this.#live;
    let set = live ? this.#sets.find((s) => s !== live && s.docs.length >= entries) : undefined;
    const reused = set !== undefined;
    if (set) {
      set.owner?.revoke();
      set.owner = undefined;
    } else {
      const size = Math.ceil(entries * ARENA_HEADROOM);
      set = { docs: new Int32Array(size), scores: new Float32Array(size), fields: new Uint8Array(size) };
      this.#allocatedBytes += size * 9;
      // The live set and the new one: a spare too small is let go (its index is not in use).
      this.#sets = live ? [live, set] : [set];
    }
    this.#last = set;
    return { docs: set.docs.subarray(0, entries), scores: set.scores.subarray(0, entries), fields: set.fields.subarray(0, entries), reused };
  }

  /** The index built on the arrays last taken. */
  own(owner: ArrayOwner): void {
    if (this.#last) this.#last.owner = owner;
  }

  /** The index built last is now the one in use: its arrays are not handed out until another is committed. */
  commit(): void {
    this.#live = this.#last;
  }
}
