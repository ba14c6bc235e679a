/**
 * Query analysis: from what a citizen typed to weighted "slots" (one per content word or
 * abbreviation), each with its alternative readings (the word itself, a Telex/VNI repair,
 * a typo fix, every meaning of an abbreviation), plus the intent phrases found.
 */
import type { IntentName } from '../core/guide.ts';
import { bm25Idf, type Bm25Index } from './bm25.ts';
import { ACCENT_PREFIX, pairTerm } from './corpus.ts';
import { EN_PREFIX, ENGLISH_STOPWORDS, englishTerm, looksEnglish } from './english.ts';
import type { KeywordPhrases } from './keywords.ts';
import { INTENT_ORDER, type Lexicon } from './lexicon.ts';
import { normToken, tokenize, type NormToken } from './normalize.ts';
import { decodeTelex, decodeVni } from './telex.ts';
import type { TypoIndex } from './typo.ts';

/** One word to look up. */
export interface QueryWord {
  /** Folded term (or `en:` stem). */
  readonly term: string;
  /** Accented term (`~…`) when the citizen typed diacritics that the index knows. */
  readonly accent?: string;
  /** 1 for the word as typed or repaired; less for a guessed typo fix. */
  readonly quality: number;
  /** Inverse document frequency of `term`. */
  readonly idf: number;
}

/** One reading of a slot: one or more words (an abbreviation's meaning has several). */
export interface QueryAlt {
  readonly words: readonly QueryWord[];
  /** Pair terms inside this reading ("can cuoc", "cuoc cong"…). */
  readonly pairs: readonly string[];
  /**
   * When present, the reading counts for a guide only if the guide has one of these pair terms
   * (a typo fix is believed where the guide shows it next to the citizen's neighbouring word).
   */
  readonly gate?: readonly string[];
}

/** One content word (or abbreviation) of the query. */
export interface QuerySlot {
  readonly text: string;
  /** Readings; empty when nothing in the content resembles the word. */
  readonly alts: readonly QueryAlt[];
  /** Importance in coverage (inverse document frequency; high for unknown words). */
  readonly weight: number;
}

/** The analysed query. */
export interface AnalysedQuery {
  readonly slots: readonly QuerySlot[];
  /** links[i]: pair terms joining slot i and slot i+1 that exist in the index. */
  readonly links: readonly (readonly string[])[];
  readonly english: boolean;
  /** Intents whose phrases occur, strongest first. */
  readonly intents: readonly IntentName[];
  /** Content words as matched (primary readings), for reports. */
  readonly normalized: string;
  /** Ids of guide keyword phrases found word for word in the message. */
  readonly phrases: readonly number[];
}

/** Credit for a one-edit typo fix that forms a known pair with a neighbouring word. */
export const TYPO_IN_CONTEXT = 0.85;
/** Credit for a one-edit typo fix without such support. */
export const TYPO_BLIND = 0.4;
/** Shortest unknown word fixed without a neighbour's support. */
const BLIND_TYPO_MIN_LENGTH = 5;
/** Unknown words weigh like a word found in one guide, a little discounted. */
const OOV_WEIGHT_FACTOR = 0.8;

/** What the analyser reads; built once per index. */
export interface AnalyserContext {
  readonly index: Bm25Index;
  readonly lexicon: Lexicon;
  readonly typos: TypoIndex;
  /**
   * One-word stop words whose folded form is also a different guide word ("the": thế / thẻ).
   * Typed without diacritics they are kept, since they may be the content word.
   */
  readonly ambiguousStops: ReadonlySet<string>;
  readonly keywords: KeywordPhrases;
}

function word(ctx: AnalyserContext, term: string, quality: number, accent?: string): QueryWord {
  const p = ctx.index.get(term);
  const idf = p ? p.idf : bm25Idf(ctx.index.size, 0);
  return accent && ctx.index.has(accent) ? { term, accent, quality, idf } : { term, quality, idf };
}

function altOf(ctx: AnalyserContext, toks: readonly NormToken[], quality = 1): QueryAlt {
  const words = toks.map((t) => word(ctx, t.folded, quality, t.hasMarks ? ACCENT_PREFIX + t.accented : undefined));
  const pairs: string[] = [];
  for (let i = 1; i < toks.length; i++) pairs.push(pairTerm(toks[i - 1]!.folded, toks[i]!.folded));
  return { words, pairs };
}

/** Splits a run-together word ("dichvucong") into 2–4 known words joined by known pairs. */
function splitRunTogether(ctx: AnalyserContext, w: string, depth = 0): string[] | undefined {
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
  if (ctx.index.has(folded) || ctx.lexicon.words.has(folded) || ctx.lexicon.synonyms.get([folded])) return true;
  const en = englishTerm(folded);
  return en !== undefined && ctx.index.has(en);
}

/** Telex/VNI repair, kept only when the repaired word is known and the typed one is not. */
function repair(ctx: AnalyserContext, t: NormToken): NormToken {
  if (t.hasMarks || isKnown(ctx, t.folded)) return t;
  for (const decode of [decodeTelex, decodeVni]) {
    const fixed = decode(t.folded);
    if (fixed === undefined) continue;
    const nt = normToken(fixed);
    if (isKnown(ctx, nt.folded)) return nt;
  }
  return t;
}

function oovWeight(ctx: AnalyserContext): number {
  return bm25Idf(ctx.index.size, 1) * OOV_WEIGHT_FACTOR;
}

/**
 * Typo fixes for an unknown word. A fix that forms a known word pair with a neighbour
 * ("dang ky tam trus" → "tru" after "tam") is trusted; blind fixes of short words are not made
 * at all (almost every three-letter string is one edit from some Vietnamese syllable).
 */
function typoAlts(ctx: AnalyserContext, f: string, prev?: string, next?: string): { alts: QueryAlt[]; inContext: boolean } {
  const fixes = ctx.typos.suggest(f);
  const inContext: QueryAlt[] = [];
  for (const x of fixes) {
    const gate = [prev === undefined ? '' : pairTerm(prev, x), next === undefined ? '' : pairTerm(x, next)].filter(
      (p) => p !== '' && ctx.index.has(p),
    );
    if (gate.length > 0) inContext.push({ ...altOf(ctx, [normToken(x)], TYPO_IN_CONTEXT), gate });
  }
  if (inContext.length > 0) return { alts: inContext, inContext: true };
  if (f.length < BLIND_TYPO_MIN_LENGTH) return { alts: [], inContext: false };
  return { alts: fixes.map((x) => altOf(ctx, [normToken(x)], TYPO_BLIND)), inContext: false };
}

function wordSlot(ctx: AnalyserContext, t: NormToken, english: boolean, prev?: string, next?: string): QuerySlot | undefined {
  const f = t.folded;
  const alts: QueryAlt[] = [];
  const en = englishTerm(f);
  let trusted = true;
  if (english) {
    if (en && ctx.index.has(en)) alts.push({ words: [word(ctx, en, 1)], pairs: [] });
    if (ctx.index.has(f) && !ENGLISH_STOPWORDS.has(f)) alts.push(altOf(ctx, [t]));
  } else if (ctx.index.has(f)) {
    alts.push(altOf(ctx, [t]));
  } else {
    const parts = splitRunTogether(ctx, f);
    if (parts) alts.push(altOf(ctx, parts.map(normToken)));
    else {
      const typos = typoAlts(ctx, f, prev, next);
      alts.push(...typos.alts);
      trusted = typos.inContext;
    }
    if (en && ctx.index.has(en)) alts.push({ words: [word(ctx, en, 1)], pairs: [] });
  }
  if (alts.length === 0) {
    // Numbers and single letters nobody indexed carry no topic: ignore them.
    if (/^\d+$/.test(f) || f.length < 2) return undefined;
    return { text: f, alts, weight: oovWeight(ctx) };
  }
  return { text: f, alts, weight: trusted ? slotWeight(alts) : oovWeight(ctx) };
}

function slotWeight(alts: readonly QueryAlt[]): number {
  let best = 0;
  for (const a of alts) {
    let sum = 0;
    for (const w of a.words) sum += w.idf;
    best = Math.max(best, sum / Math.max(1, a.words.length));
  }
  return best;
}

/** True when a meaning (accented words from synonyms.yaml) is only stop words. */
function isStopPhrase(ctx: AnalyserContext, toks: readonly NormToken[]): boolean {
  const folded = toks.map((t) => t.folded);
  for (let i = 0; i < folded.length; ) {
    const m = ctx.lexicon.stopwords.matchAt(folded, i);
    if (!m || (m.words === 1 && !m.value.has(toks[i]!.accented))) return false;
    i += m.words;
  }
  return true;
}

/** Words of a stop phrase starting at i (0 when none). */
function stopLength(ctx: AnalyserContext, toks: readonly NormToken[], folded: readonly string[], i: number): number {
  const m = ctx.lexicon.stopwords.matchAt(folded, i);
  if (!m) return 0;
  if (m.words > 1) return m.words;
  const t = toks[i]!;
  if (t.hasMarks) return m.value.has(t.accented) ? 1 : 0;
  return ctx.ambiguousStops.has(t.folded) ? 0 : 1;
}

/** Analyses one message. Never throws; an empty message gives no slots. */
export function analyseQuery(ctx: AnalyserContext, text: string): AnalysedQuery {
  const raw = tokenize(text);
  const english =
    !raw.some((t) => t.hasMarks) &&
    looksEnglish(
      raw.map((t) => t.folded),
      (w) => ctx.index.has(w),
      (w) => {
        const en = englishTerm(w);
        return en !== undefined && ctx.index.has(en);
      },
    );
  // Telex/VNI repair is for Vietnamese: "of" must not become "ò".
  const toks = english ? raw : raw.map((t) => repair(ctx, t));
  const folded = toks.map((t) => t.folded);
  const { lexicon } = ctx;

  const covered = new Uint8Array(toks.length);
  const found = new Set<IntentName>();
  for (let i = 0; i < folded.length; i++) {
    const m = lexicon.intents.matchAt(folded, i);
    if (!m) continue;
    found.add(m.value);
    covered.fill(1, i, i + m.words);
    i += m.words - 1;
  }
  const intents = INTENT_ORDER.filter((n) => found.has(n));

  const slots: QuerySlot[] = [];
  for (let i = 0; i < toks.length; ) {
    if (covered[i]) {
      i++;
      continue;
    }
    const syn = lexicon.synonyms.matchAt(folded, i);
    const stop = english
      ? ENGLISH_STOPWORDS.has(folded[i]!) ? 1 : 0
      : stopLength(ctx, toks, folded, i);
    if (stop > 0 && (!syn || stop >= syn.words)) {
      i += stop;
      continue;
    }
    if (syn) {
      const meanings = syn.value.filter((m) => !isStopPhrase(ctx, m));
      if (meanings.length > 0) {
        const alts = meanings.map((m) => altOf(ctx, m));
        const literal = folded.slice(i, i + syn.words);
        if (literal.every((w) => ctx.index.has(w))) alts.push(altOf(ctx, toks.slice(i, i + syn.words)));
        const en = english && syn.words === 1 ? englishTerm(literal[0]!) : undefined;
        if (en && ctx.index.has(en)) alts.push({ words: [word(ctx, en, 1)], pairs: [] });
        slots.push({ text: literal.join(' '), alts, weight: slotWeight(alts) });
      }
      i += syn.words;
      continue;
    }
    const slot = wordSlot(ctx, toks[i]!, english, folded[i - 1], folded[i + 1]);
    if (slot) slots.push(slot);
    i++;
  }

  const links: string[][] = [];
  for (let s = 0; s + 1 < slots.length; s++) {
    const out = new Set<string>();
    for (const a of slots[s]!.alts.slice(0, 3)) {
      for (const b of slots[s + 1]!.alts.slice(0, 3)) {
        const last = a.words[a.words.length - 1];
        const first = b.words[0];
        if (!last || !first) continue;
        const pair = pairTerm(last.term, first.term);
        if (ctx.index.has(pair)) out.add(pair);
      }
    }
    links.push([...out]);
  }

  const primary: string[] = [];
  for (const s of slots) {
    if (s.alts[0]) for (const w of s.alts[0].words) primary.push(w.term.replace(EN_PREFIX, ''));
    else primary.push(s.text);
  }
  const found2 = new Set<number>();
  if (!english) {
    ctx.keywords.find(folded, found2);
    ctx.keywords.find(primary, found2);
  }
  return { slots, links, english, intents, normalized: primary.join(' '), phrases: [...found2] };
}
