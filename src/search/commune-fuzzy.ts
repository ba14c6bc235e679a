/**
 * Misspelt names ("xã Mỹ Khán", "phường Tra Nog", "CaiRang"): the known name a few letters away
 * from what the citizen typed. Pure; a scan of the data's few hundred names, run only where a name
 * is expected (right after a kind word, or before an English kind word or "cũ"/"mới"), so that an
 * ordinary word is never read as a name.
 *
 * Guards, each against a real near-miss in the data:
 * - Distance is counted per syllable, and a syllable's first letter must match (or be a pair
 *   Southern spelling confuses: s/x, tr/ch, d/v/gi, r/g): "Tân Định" (Sài Gòn) is not "Tân Bình".
 * - One edit in all for a short name, two for a name of ten letters or more.
 * - Only one name may be nearest: a typo halfway between two names is not guessed.
 */

/** Largest edit distance for a name shorter than {@link LONG_NAME_LETTERS} letters. */
export const FUZZY_MAX_EDITS = 1;
/** Names with at least this many letters (spaces not counted) allow one more edit. */
export const LONG_NAME_LETTERS = 10;
/** Shortest typed text (letters) worth correcting: shorter ones have too many neighbours. */
export const FUZZY_MIN_LETTERS = 5;

/** A name split into syllables, for the fuzzy scan. */
export interface FuzzyKey {
  /** The name's key in the index (folded words). */
  readonly key: string;
  /** Keys with the same id are spellings of one name ("trung nhut" / "trung nhat"). */
  readonly id: string;
  /** Folded syllables. */
  readonly syllables: readonly string[];
  /** Accented syllables (lower case): a typed word with marks is compared with these. */
  readonly accented: readonly string[];
  /** The folded syllables joined without spaces ("cairang"). */
  readonly solid: string;
}

/** A typed word: folded, and accented when the citizen typed marks. */
export interface TypedWord {
  readonly folded: string;
  readonly accented: string;
  readonly marks: boolean;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');

/**
 * The names worth correcting towards (each as its accented syllables): two syllables or more,
 * without numbers. `idOf`: see {@link FuzzyKey.id}.
 */
export function fuzzyKeys(names: Iterable<readonly string[]>, idOf: (key: string) => string = (k) => k): FuzzyKey[] {
  const out: FuzzyKey[] = [];
  for (const accented of names) {
    const syllables = accented.map(fold);
    const key = syllables.join(' ');
    if (syllables.length < 2 || /\d/.test(key)) continue;
    out.push({ key, id: idOf(key), syllables, accented, solid: syllables.join('') });
  }
  return out;
}

/** Damerau–Levenshtein distance (adjacent swaps count one), stopping early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (i > 0 && best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** Onsets Southern spelling mixes up, both ways; another first letter means another name. */
const ONSET_PAIRS: readonly (readonly [string, string])[] = [
  ['s', 'x'],
  ['tr', 'ch'],
  ['d', 'v'],
  ['d', 'gi'],
  ['v', 'gi'],
  ['r', 'g'],
].flatMap(([x, y]) => [[x!, y!] as const, [y!, x!] as const]);

/** First letters a typed word's name may start with: its own, and those of {@link ONSET_PAIRS}. */
const FIRST_LETTERS: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, Set<string>>();
  for (const [p, q] of ONSET_PAIRS) m.set(p[0]!, (m.get(p[0]!) ?? new Set()).add(q[0]!));
  return new Map([...m].map(([k, v]) => [k, [k, ...[...v].filter((x) => x !== k)]]));
})();

/** The fuzzy keys grouped by their first letter, for a quick look-up. */
export type FuzzyKeys = ReadonlyMap<string, readonly FuzzyKey[]>;

/** Groups keys by first letter. */
export function groupKeys(keys: readonly FuzzyKey[]): FuzzyKeys {
  const m = new Map<string, FuzzyKey[]>();
  for (const k of keys) m.set(k.solid[0]!, [...(m.get(k.solid[0]!) ?? []), k]);
  return m;
}

/**
 * Cost of one typed word against a name's syllable; Infinity when its first letters differ. A word
 * typed with marks is compared with its marks: "tốn tiền" is not "Tân Tiến" misspelt.
 */
function syllableCost(typed: TypedWord, folded: string, accented: string, max: number): number {
  const [a, b] = typed.marks ? [typed.accented, accented] : [typed.folded, folded];
  if (a === b) return 0;
  if (typed.folded[0] === folded[0]) return editDistance(a, b, max);
  for (const [p, q] of ONSET_PAIRS) {
    if (typed.folded.startsWith(p) && folded.startsWith(q) && typed.folded.slice(p.length) === folded.slice(q.length)) return 1;
  }
  return Infinity;
}

const allowed = (k: FuzzyKey) => (k.solid.length >= LONG_NAME_LETTERS ? FUZZY_MAX_EDITS + 1 : FUZZY_MAX_EDITS);

/** Cost of typed words against a name: syllable by syllable, or written as one word ("cairang"). */
function keyCost(typed: readonly TypedWord[], k: FuzzyKey): number {
  const max = allowed(k);
  if (typed.length === 1) {
    // Folded: a word glued from two syllables keeps only one tone mark after normalisation.
    const one = typed[0]!.folded;
    return one[0] === k.solid[0] ? editDistance(one, k.solid, max) : Infinity;
  }
  if (typed.length !== k.syllables.length) return Infinity;
  let total = 0;
  for (let s = 0; s < typed.length && total <= max; s++) total += syllableCost(typed[s]!, k.syllables[s]!, k.accented[s]!, max - total);
  return total;
}

/**
 * The one name nearest to the typed words, within the allowed edits; undefined when none is near
 * enough, when two names are equally near, or when the text is too short to judge.
 */
export function nearestName(keys: FuzzyKeys, typed: readonly TypedWord[]): { key: string; cost: number } | undefined {
  const letters = typed.reduce((n, w) => n + w.folded.length, 0);
  if (letters < FUZZY_MIN_LETTERS) return undefined;
  const first = typed[0]!.folded[0]!;
  let best: { key: string; id: string; cost: number } | undefined;
  let tie = false;
  for (const k of (FIRST_LETTERS.get(first) ?? [first]).flatMap((c) => keys.get(c) ?? [])) {
    if (Math.abs(k.solid.length - letters) > allowed(k) + 1) continue; // an onset swap changes the length by one
    const cost = keyCost(typed, k);
    if (cost > allowed(k)) continue;
    if (!best || cost < best.cost) {
      best = { key: k.key, id: k.id, cost };
      tie = false;
    } else if (cost === best.cost && k.id !== best.id) tie = true;
  }
  return best && !tie ? { key: best.key, cost: best.cost } : undefined;
}
