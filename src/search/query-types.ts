/**
 * The shapes of an analysed query (slots, readings, words) and what the analyser reads. Shared by
 * query.ts (the analysis) and readings.ts (the readings of one word), so neither imports the other.
 */
import type { IntentName } from '../core/guide.ts';
import type { Bm25Index, Postings } from './bm25.ts';
import type { KeywordPhrases } from './keywords.ts';
import type { Lexicon } from './lexicon.ts';
import type { PhraseTable } from './phrases.ts';
import type { PlaceKind } from './places.ts';
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
  /** The word is part of a follow-up phrase ("lệ phí", "ở đâu", "bị từ chối"): content, but no topic. */
  readonly aspect?: true;
  /** A grammar word ("không", "được", or "hông" read as "không"): it ranks, but names no topic. */
  readonly grammar?: true;
  /** Part of a former district named as where the citizen lives ("huyện Kế Sách cũ"): it ranks, but takes no open guide away. */
  readonly place?: true;
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
  /** Every word of the message, folded and read in standard words ("hông" → "khong"), stop words kept. */
  readonly tokens: readonly string[];
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
  /** Names of the city's communes and wards, new and former (see places.ts). */
  readonly places: PhraseTable<PlaceKind>;
}
