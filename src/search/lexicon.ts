/**
 * The word lists the query analyser needs, built once from content/synonyms.yaml and
 * content/intents.yaml: synonyms and abbreviations, query stop words, intent phrases.
 */
import { ASPECT_INTENTS, type IntentName, type IntentsFile, type SynonymsFile } from '../core/guide.ts';
import { tokenize, type NormToken } from './normalize.ts';
import { PhraseTable } from './phrases.ts';

/** The query-side word lists. */
export interface Lexicon {
  /** Abbreviation/synonym key (folded words) → its meanings (each a word list). */
  readonly synonyms: PhraseTable<readonly (readonly NormToken[])[]>;
  /**
   * Query-only stop words and stop phrases, by folded words. The value holds the accented
   * spellings: a one-word stop word typed with diacritics must match them ("thế" is padding,
   * "thẻ" is a card, both fold to "the").
   */
  readonly stopwords: PhraseTable<ReadonlySet<string>>;
  /** Subject words (folded: app and system names) → bit of the subject. */
  readonly subjects: ReadonlyMap<string, number>;
  /** Intent phrases (folded) → intent. */
  readonly intents: PhraseTable<IntentName>;
  /** Per intent, the folded words that cancel it right before its phrase (`unless_after`). */
  readonly intentBlockers: ReadonlyMap<IntentName, ReadonlySet<string>>;
  /** Every folded word the lists mention (a word Telex repair may aim at). */
  readonly words: ReadonlySet<string>;
}

/** Intent precedence when one message holds several phrases. */
export const INTENT_ORDER: readonly IntentName[] = ['handoff', 'scam-report', 'not-covered', 'thanks', 'greeting', ...ASPECT_INTENTS];

/** Builds the lexicon. Bad entries (empty after normalisation) are skipped, never thrown. */
export function buildLexicon(synonymsFile: SynonymsFile, intentsFile: IntentsFile): Lexicon {
  const words = new Set<string>();
  const note = (toks: readonly NormToken[]) => toks.forEach((t) => words.add(t.folded));

  const synonyms = new PhraseTable<readonly (readonly NormToken[])[]>();
  for (const [key, meanings] of Object.entries(synonymsFile.synonyms)) {
    const keyToks = tokenize(key);
    if (keyToks.length === 0) continue;
    const folded = keyToks.map((t) => t.folded);
    const existing = synonyms.get(folded) ?? [];
    const more = meanings.map((m) => tokenize(m)).filter((m) => m.length > 0);
    more.forEach(note);
    // "đk" and "dk" fold to one key: their meanings merge (each meaning once).
    const seen = new Set(existing.map((m) => m.map((t) => t.folded).join(' ')));
    const merged = [...existing];
    for (const m of more) {
      const k = m.map((t) => t.folded).join(' ');
      if (!seen.has(k)) {
        seen.add(k);
        merged.push(m);
      }
    }
    synonyms.set(folded, merged);
  }

  const stopwords = new PhraseTable<Set<string>>();
  for (const s of synonymsFile.stopwords) {
    const toks = tokenize(s);
    note(toks);
    const folded = toks.map((t) => t.folded);
    const spellings = stopwords.get(folded) ?? new Set<string>();
    spellings.add(toks.map((t) => t.accented).join(' '));
    stopwords.set(folded, spellings);
  }

  const intents = new PhraseTable<IntentName>();
  const intentBlockers = new Map<IntentName, Set<string>>();
  for (const [name, spec] of Object.entries(intentsFile.intents) as [IntentName, { phrases: string[]; unless_after?: string[] }][]) {
    const blockers = (spec.unless_after ?? []).map((w) => tokenize(w).map((t) => t.folded).join(' ')).filter((w) => w !== '' && !w.includes(' '));
    if (blockers.length > 0) intentBlockers.set(name, new Set(blockers));
    for (const phrase of spec.phrases) {
      const toks = tokenize(phrase);
      note(toks);
      const folded = toks.map((t) => t.folded);
      const prev = intents.get(folded);
      // One phrase listed under two intents: the stronger intent keeps it.
      if (prev === undefined || INTENT_ORDER.indexOf(name) < INTENT_ORDER.indexOf(prev)) {
        intents.set(folded, name);
      }
    }
  }
  const subjects = new Map<string, number>();
  for (const s of synonymsFile.subjects ?? []) {
    const folded = tokenize(s).map((t) => t.folded).join(' ');
    if (folded && !subjects.has(folded)) subjects.set(folded, 1 << subjects.size);
  }

  return { synonyms, stopwords, intents, intentBlockers, words, subjects };
}
