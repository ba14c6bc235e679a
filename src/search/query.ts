/**
 * Query analysis: from what a citizen typed to weighted "slots" (one per content word or
 * abbreviation), each with its alternative readings (the word itself, a Telex/VNI repair,
 * a typo fix, every meaning of an abbreviation), plus the intent phrases found.
 */
import { isAspectIntent, type IntentName } from '../core/guide.ts';
import type { Bm25Index, Postings } from './bm25.ts';
import { pairTerm } from './corpus.ts';
import { EN_PREFIX, ENGLISH_STOPWORDS, englishTerm, looksEnglish, SINGLE_LETTER } from './english.ts';
import type { KeywordPhrases } from './keywords.ts';
import { INTENT_ORDER, type Lexicon } from './lexicon.ts';
import { normToken, tokenize, type NormToken } from './normalize.ts';
import { altOf, repair, singleWord, slotWeight, wordSlot } from './readings.ts';
import type { TypoIndex } from './typo.ts';

/** One word to look up. */
export interface QueryWord {
  /** Folded term (or `en:` stem). */
  readonly term: string;
  /** Accented term (`~…`) when the citizen typed diacritics (a term no guide has gets empty postings). */
  readonly accent: string | undefined;
  /** 1 for the word as typed or repaired; less for a guessed typo fix. */
  readonly quality: number;
  /** Inverse document frequency of `term`. */
  readonly idf: number;
  /** Postings of `term` (undefined: no guide has it), looked up once per query. */
  readonly postings: Postings | undefined;
  /** Postings of `accent` (undefined when `accent` is). */
  readonly accentPostings: Postings | undefined;
}

/** One reading of a slot: one or more words (an abbreviation's meaning has several). */
export interface QueryAlt {
  readonly words: readonly QueryWord[];
  /** Postings of the pair terms inside this reading ("can cuoc", "cuoc cong"…) that the index has. */
  readonly pairs: readonly Postings[];
  /**
   * When present, the reading counts for a guide only if the guide has one of these pair terms
   * (a typo fix is believed where the guide shows it next to the citizen's neighbouring word).
   */
  readonly gate: readonly Postings[] | undefined;
}

/** One content word (or abbreviation) of the query. */
export interface QuerySlot {
  readonly text: string;
  /** Readings; empty when nothing in the content resembles the word. */
  readonly alts: readonly QueryAlt[];
  /** Importance in coverage (inverse document frequency; high for unknown words). */
  readonly weight: number;
  /**
   * The same word came earlier in the message ("coi… coi", "tôi… tôi" in a long message): it
   * stays for adjacency (links) but counts once, in score and in coverage.
   */
  readonly repeat?: true;
}

/** The analysed query. */
export interface AnalysedQuery {
  readonly slots: readonly QuerySlot[];
  /** links[i]: postings of the pair terms joining slot i and slot i+1 that exist in the index. */
  readonly links: readonly (readonly Postings[])[];
  readonly english: boolean;
  /** Intents whose phrases occur, strongest first. */
  readonly intents: readonly IntentName[];
  /** Content words as matched (primary readings: a typo's first fix, or the word as typed when unknown). */
  readonly words: readonly string[];
  /** guessed[i]: words[i] is a typo fix or an unknown word (where fuzzy matching can help). */
  readonly guessed: readonly boolean[];
  /** `words` joined, for reports. */
  readonly normalized: string;
  /** Ids of guide keyword phrases found word for word in the message. */
  readonly phrases: readonly number[];
  /**
   * Slots outside the phrases of follow-up intents ("lệ phí bao nhiêu", "ở đâu"): 0 when the
   * message only asks about a part of some guide. Those phrases still count as content for
   * ranking ("nộp hồ sơ ở đâu" is a guide's topic).
   */
  readonly topicSlots: number;
}

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

/** An age typed in one piece: "14t", "6tuoi" (a number of years, not a word). */
const AGE = /^(\d{1,3})(?:t|tuoi)$/;
const YEARS = normToken('tuổi');

/** "con 14t" → "con 14 tuổi": the number and the word the guides write. */
function splitAges(toks: NormToken[]): NormToken[] {
  if (!toks.some((t) => AGE.test(t.folded))) return toks;
  return toks.flatMap((t) => {
    const m = AGE.exec(t.folded);
    return m ? [normToken(m[1]!), YEARS] : [t];
  });
}

/** Analyses one message. Never throws; an empty message gives no slots. */
export function analyseQuery(ctx: AnalyserContext, text: string): AnalysedQuery {
  const raw = splitAges(tokenize(text));
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
  const aspect = new Uint8Array(toks.length);
  const notCovered = new Uint8Array(toks.length);
  const found = new Set<IntentName>();
  for (let i = 0; i < folded.length; i++) {
    const m = lexicon.intents.matchAt(folded, i);
    if (!m) continue;
    // "sợ bị lừa": a word right before the phrase says the intent is not meant; the words stay content.
    if (i > 0 && lexicon.intentBlockers.get(m.value)?.has(folded[i - 1]!)) {
      i += m.words - 1;
      continue;
    }
    found.add(m.value);
    // A topic the guides do not cover is still part of the question (its words count as content),
    // and so is a follow-up's phrase ("ở đâu" in "nộp hồ sơ ở đâu").
    if (isAspectIntent(m.value)) aspect.fill(1, i, i + m.words);
    else if (m.value === 'not-covered') notCovered.fill(1, i, i + m.words);
    else covered.fill(1, i, i + m.words);
    i += m.words - 1;
  }
  let topicSlots = 0;
  const slotInNotCovered: boolean[] = [];
  const intents = INTENT_ORDER.filter((n) => found.has(n));

  const slots: QuerySlot[] = [];
  for (let i = 0; i < toks.length; ) {
    if (covered[i]) {
      i++;
      continue;
    }
    const syn = lexicon.synonyms.matchAt(folded, i);
    const stop = english
      ? ENGLISH_STOPWORDS.has(folded[i]!) || SINGLE_LETTER.test(folded[i]!) ? 1 : 0
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
        if (en && ctx.index.has(en)) alts.push(singleWord(ctx, en));
        slots.push({ text: literal.join(' '), alts, weight: slotWeight(alts) });
        if (!aspect[i]) topicSlots++;
        slotInNotCovered.push(notCovered[i] === 1);
      }
      i += syn.words;
      continue;
    }
    const slot = wordSlot(ctx, toks[i]!, english, folded[i - 1], folded[i + 1]);
    if (slot) {
      slots.push(slot);
      if (!aspect[i]) topicSlots++;
      slotInNotCovered.push(notCovered[i] === 1);
    }
    i++;
  }

  const seenSlots = new Set<string>();
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s]!;
    if (seenSlots.has(slot.text)) slots[s] = { ...slot, repeat: true };
    else seenSlots.add(slot.text);
  }

  const links: Postings[][] = [];
  for (let s = 0; s + 1 < slots.length; s++) {
    const out = new Set<Postings>();
    for (const a of slots[s]!.alts.slice(0, 3)) {
      for (const b of slots[s + 1]!.alts.slice(0, 3)) {
        const last = a.words[a.words.length - 1];
        const first = b.words[0];
        // Guessed typo fixes make no phrase: their neighbour already vouched for them.
        if (!last || !first || last.quality < 1 || first.quality < 1) continue;
        const pair = ctx.index.get(pairTerm(last.term, first.term));
        if (pair) out.add(pair);
      }
    }
    links.push([...out]);
  }

  const primary: string[] = [];
  const guessed: boolean[] = [];
  // Which of those words belong to a topic no guide covers (for keyword matching, below).
  const anyNotCovered = notCovered.includes(1);
  const primaryNotCovered: number[] = [];
  slots.forEach((s, si) => {
    // A slot is a guess when every reading has a typo-fixed word (or there is no reading).
    const guess = s.alts.every((a) => a.words.some((w) => w.quality < 1));
    const words = s.alts[0] ? s.alts[0].words.map((w) => w.term.replace(EN_PREFIX, '')) : s.text.split(' ');
    for (const w of words) {
      primary.push(w);
      guessed.push(guess);
      if (anyNotCovered) primaryNotCovered.push(slotInNotCovered[si] ? 1 : 0);
    }
  });
  const found2 = new Set<number>();
  if (!english) {
    // A guide's keyword inside a topic no guide covers ("biển số" in "đấu giá biển số") is part of
    // that topic, not the guide's.
    ctx.keywords.find(folded, found2, anyNotCovered ? notCovered : undefined);
    ctx.keywords.find(primary, found2, anyNotCovered ? Uint8Array.from(primaryNotCovered) : undefined);
  } else {
    // English keyword phrases are stored as the English terms the query's first readings are.
    ctx.keywords.find(
      slots.flatMap((s) => (s.alts[0] ? s.alts[0].words.map((w) => w.term) : [])),
      found2,
    );
  }
  return { slots, links, english, intents, words: primary, guessed, normalized: primary.join(' '), phrases: [...found2], topicSlots };
}
