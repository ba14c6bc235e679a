/**
 * The readings of one word of a query: as typed, repaired from Telex/VNI, fixed from a typo,
 * split when run together ("dichvucong"), or as an English stem, each with how far to trust it.
 */
import { bm25Idf, type Postings } from './bm25.ts';
import { ACCENT_PREFIX, pairTerm } from './corpus.ts';
import { EN_PREFIX, ENGLISH_STOPWORDS, englishTerm } from './english.ts';
import { normToken, type NormToken } from './normalize.ts';
import type { AnalyserContext, QueryAlt, QuerySlot, QueryWord } from './query-types.ts';
import { decodeTelex, decodeVni } from './telex.ts';

/** Credit for a one-edit typo fix that forms a known pair with a neighbouring word. */
export const TYPO_IN_CONTEXT = 0.5;
/** Credit for a one-edit typo fix without such support. */
export const TYPO_BLIND = 0.4;
/** Shortest unknown word fixed without a neighbour's support. */
const BLIND_TYPO_MIN_LENGTH = 5;
/**
 * Unknown words weigh a little more than a word only one guide uses: a word no guide has is
 * strong evidence that the question is about something else (measured: out-of-scope declines).
 */
const OOV_WEIGHT_FACTOR = 1.1;
/**
 * In an English question, an unknown word weighs less: the guides' English blocks are short, so
 * many everyday English words are missing from them without the question being off-topic
 * (measured: more English questions answered, out-of-scope declines unchanged).
 */
const EN_OOV_FACTOR = 0.6;

/**
 * Grammar words (passive, aspect, direction, modality, yes/no): they still rank and form pairs
 * ("bị khóa", "đi đâu"), but a guide lacking them is not missing any content, so their weight in
 * coverage is capped. Vietnamese grammar, not content: the same for every guide set.
 */
const LIGHT_WORDS: ReadonlySet<string> = new Set(
  'bi duoc da dang se co khong roi phai can di ra vao len ve lai nen thi ma'.split(' '),
);
/** Coverage weight cap of a grammar word. */
const LIGHT_WEIGHT = 0.3;

/** Postings of a term no guide has. */
const NO_POSTINGS: Postings = { docs: new Int32Array(0), scores: new Float32Array(0), fields: new Uint8Array(0), idf: 0 };

/** One word to look up, with its inverse document frequency (and accented form when known). */
export function word(ctx: AnalyserContext, term: string, quality: number, accent?: string): QueryWord {
  const postings = ctx.index.get(term);
  const idf = postings ? postings.idf : bm25Idf(ctx.index.size, 0);
  // Diacritics no guide has ("sổ đỏ", "mưa" where guides only write "mua"): a different word
  // that folds the same, so no guide has it as typed (empty postings: every match counts less).
  const accentPostings = accent === undefined ? undefined : (ctx.index.get(accent) ?? NO_POSTINGS);
  // Every word has the same fields in the same order: one object shape keeps the ranking loops monomorphic.
  return { term, accent: accentPostings ? accent : undefined, quality, idf, postings, accentPostings };
}

/** One reading made of the given words (and the pairs between them that the index has). */
export function altOf(ctx: AnalyserContext, toks: readonly NormToken[], quality = 1, gate?: readonly Postings[]): QueryAlt {
  const words = toks.map((t) => word(ctx, t.folded, quality, t.hasMarks ? ACCENT_PREFIX + t.accented : undefined));
  const pairs: Postings[] = [];
  for (let i = 1; i < toks.length; i++) {
    const p = ctx.index.get(pairTerm(toks[i - 1]!.folded, toks[i]!.folded));
    if (p) pairs.push(p);
  }
  return { words, pairs, gate };
}

/** A reading of one known term (an English stem), with no pairs. */
export function singleWord(ctx: AnalyserContext, term: string): QueryAlt {
  return { words: [word(ctx, term, 1)], pairs: [], gate: undefined };
}

/** Splits a run-together word ("dichvucong") into 2–4 known words joined by known pairs. */
export function splitRunTogether(ctx: AnalyserContext, w: string, depth = 0): string[] | undefined {
  if (depth > 3) return undefined;
  for (let k = w.length - 1; k >= 1; k--) {
    const head = w.slice(0, k);
    const tail = w.slice(k);
    if (!ctx.index.has(head)) continue;
    if (ctx.index.has(tail) && ctx.index.has(pairTerm(head, tail))) return [head, tail];
    const rest = splitRunTogether(ctx, tail, depth + 1);
    if (rest && ctx.index.has(pairTerm(head, rest[0]!))) return [head, ...rest];
  }
  return undefined;
}

function isKnown(ctx: AnalyserContext, folded: string): boolean {
  return isVietnamese(ctx, folded) || knownInEnglish(ctx, folded);
}

/** Known through the guides' English text. */
export function knownInEnglish(ctx: AnalyserContext, folded: string): boolean {
  const en = englishTerm(folded);
  return en !== undefined && ctx.index.has(en);
}

/** Telex/VNI repair of one word, kept only when the repaired word is known and the typed one is not. */
export function repair(ctx: AnalyserContext, t: NormToken): NormToken {
  if (t.hasMarks || isVietnamese(ctx, t.folded)) return t;
  // Known only through the English text: repaired only when its English stem is the repaired
  // syllable itself ("phis" → "en:phi", the "phí" an English text quotes: a Telex leftover);
  // "apps", "docs" stay English.
  const english = knownInEnglish(ctx, t.folded);
  for (const decode of [decodeTelex, decodeVni]) {
    const fixed = decode(t.folded);
    if (fixed === undefined) continue;
    const nt = normToken(fixed);
    if (!isKnown(ctx, nt.folded)) continue;
    if (english && englishTerm(t.folded) !== `${EN_PREFIX}${nt.folded}`) continue;
    return nt;
  }
  return t;
}

/** Known as a Vietnamese word (of the guides or the lexicon), not only through the English text. */
function isVietnamese(ctx: AnalyserContext, folded: string): boolean {
  return ctx.index.has(folded) || ctx.lexicon.words.has(folded) || ctx.lexicon.synonyms.get([folded]) !== undefined;
}

function oovWeight(ctx: AnalyserContext): number {
  return bm25Idf(ctx.index.size, 1) * OOV_WEIGHT_FACTOR;
}

/**
 * Typo fixes for an unknown word. A fix that forms a known word pair with a neighbour
 * ("dang ky tamm tru" → "tam" before "tru") counts, for the guides that have that pair; blind
 * fixes are made only for long words (almost every short string is one edit from some
 * Vietnamese syllable).
 */
function typoAlts(ctx: AnalyserContext, f: string, prev?: string, next?: string): QueryAlt[] {
  const fixes = ctx.typos.suggest(f);
  const inContext: QueryAlt[] = [];
  for (const x of fixes) {
    const gate: Postings[] = [];
    const before = prev === undefined ? undefined : ctx.index.get(pairTerm(prev, x));
    const after = next === undefined ? undefined : ctx.index.get(pairTerm(x, next));
    if (before) gate.push(before);
    if (after) gate.push(after);
    if (gate.length > 0) inContext.push(altOf(ctx, [normToken(x)], TYPO_IN_CONTEXT, gate));
  }
  if (inContext.length > 0) return inContext;
  if (f.length < BLIND_TYPO_MIN_LENGTH) return [];
  return fixes.map((x) => altOf(ctx, [normToken(x)], TYPO_BLIND));
}

/**
 * The slot of one content word: the word itself when the index knows it; otherwise its typo
 * fixes, its split into known words, or its English stem; or no reading at all (unknown word,
 * weighted high so that it counts against coverage). Undefined for ignorable tokens.
 */
export function wordSlot(ctx: AnalyserContext, t: NormToken, english: boolean, prev?: string, next?: string): QuerySlot | undefined {
  const f = t.folded;
  const alts: QueryAlt[] = [];
  const en = englishTerm(f);
  let trusted = true;
  if (english) {
    if (en && ctx.index.has(en)) alts.push(singleWord(ctx, en));
    if (ctx.index.has(f) && !ENGLISH_STOPWORDS.has(f)) alts.push(altOf(ctx, [t]));
  } else if (ctx.index.has(f)) {
    alts.push(altOf(ctx, [t]));
  } else {
    const parts = splitRunTogether(ctx, f);
    if (parts) alts.push(altOf(ctx, parts.map(normToken)));
    else {
      alts.push(...typoAlts(ctx, f, prev, next));
      trusted = false;
    }
    if (en && ctx.index.has(en)) alts.push(singleWord(ctx, en));
  }
  if (alts.length === 0) {
    // Numbers and single letters nobody indexed carry no topic: ignore them.
    if (/^\d+$/.test(f) || f.length < 2) return undefined;
    return { text: f, alts, weight: english ? oovWeight(ctx) * EN_OOV_FACTOR : oovWeight(ctx) };
  }
  // A guessed fix weighs like the unknown word it replaces: if the guess is wrong, the word
  // still counts as uncovered content.
  const weight = trusted ? slotWeight(alts) : oovWeight(ctx);
  return LIGHT_WORDS.has(f) ? { text: f, alts, weight: Math.min(weight, LIGHT_WEIGHT), grammar: true } : { text: f, alts, weight };
}

/** An abbreviation or a regional form that only means a grammar word ("hông", "ko" for "không"). */
export function meansGrammar(meanings: readonly (readonly NormToken[])[]): boolean {
  return meanings.every((m) => m.length === 1 && LIGHT_WORDS.has(m[0]!.folded));
}

/** A slot's weight in coverage: the mean inverse document frequency of its best reading. */
export function slotWeight(alts: readonly QueryAlt[]): number {
  let best = 0;
  for (const a of alts) {
    let sum = 0;
    for (const w of a.words) sum += w.idf;
    best = Math.max(best, sum / Math.max(1, a.words.length));
  }
  return best;
}

