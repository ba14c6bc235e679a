/**
 * The word lists the query analyser needs, built once from content/synonyms.yaml and
 * content/intents.yaml: synonyms and abbreviations, query stop words, intent phrases.
 */
import { ASPECT_INTENTS, type IntentName, type IntentsFile, type SynonymsFile } from '../core/guide.ts';
import { tokenize, type NormToken } from './normalize.ts';
import { PhraseTable, spellingTable } from './phrases.ts';
import { buildTroubleSigns, type TroubleSigns } from './trouble.ts';

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
  /** Per intent, word pairs that also mean it (`pairs` in intents.yaml), folded. */
  readonly intentPairs: readonly IntentPairs[];
  /**
   * Per folded word, the pairs (positions in `intentPairs`) whose first phrases, and those whose
   * second phrases, start with it: a message is scanned only for the pairs both of whose sides
   * start with one of its words.
   */
  readonly intentPairStarts: ReadonlyMap<string, PairStarts>;
  /**
   * The standard word for a word citizens spell their own way ("hông" → "không", "nhiu" →
   * "nhiêu", "j" → "gì"): synonym keys of one word with one one-word meaning. Intent phrases are
   * also matched on the message read this way, so they are written once, in standard Vietnamese.
   */
  readonly canonical: ReadonlyMap<string, string>;
  /** Every folded word the lists mention (a word Telex repair may aim at). */
  readonly words: ReadonlySet<string>;
  /**
   * The spellings, as listed, of every one-word intent phrase and pair word, by folded form: a
   * word typed with marks must be typed as listed ("mơn" is thanks, "Môn" of Ô Môn is not).
   */
  readonly intentSpellings: PhraseTable<ReadonlySet<string>>;
  /** The synonym keys with their listed spellings: a one-word key typed with marks must have listed ones ("để" is no "đẻ"). */
  readonly synonymSpellings: PhraseTable<ReadonlySet<string>>;
  /** Signs that a message reports something going wrong (`trouble` in intents.yaml). */
  readonly trouble: TroubleSigns;
}

/** The pairs a word starts a phrase of: on their first side, on their second side. */
export interface PairStarts {
  readonly first: readonly number[];
  readonly then: readonly number[];
}

/** Word pairs of one intent: a phrase of `first`, then within `within` words a phrase of `then`. */
export interface IntentPairs {
  readonly intent: IntentName;
  readonly first: PhraseTable<true>;
  readonly then: PhraseTable<true>;
  readonly within: number;
}

/** Intent precedence when one message holds several phrases. */
export const INTENT_ORDER: readonly IntentName[] = [
  'handoff',
  'frustration',
  'bot-question',
  'scam-report',
  'not-covered',
  'thanks',
  'greeting',
  // A problem is the more telling part: "vô ví giấy tờ không thấy hiện" reports one, it does not ask for documents.
  'ask-problem',
  ...ASPECT_INTENTS.filter((a) => a !== 'ask-problem'),
];

type IntentSpec = IntentsFile['intents'][IntentName] & {};

/** Builds the lexicon. Bad entries (empty after normalisation) are skipped, never thrown. */
export function buildLexicon(synonymsFile: SynonymsFile, intentsFile: IntentsFile): Lexicon {
  const words = new Set<string>();
  const note = (toks: readonly NormToken[]) => toks.forEach((t) => words.add(t.folded));
  const synonyms = buildSynonyms(synonymsFile, note);
  // Stop words and phrases, with the accented spellings of each folded form.
  const stopwords = spellingTable(synonymsFile.stopwords, note);
  const { intents, intentBlockers, intentPairs } = buildIntents(intentsFile, note);
  const subjects = new Map<string, number>();
  for (const s of synonymsFile.subjects ?? []) {
    const folded = tokenize(s).map((t) => t.folded).join(' ');
    if (folded && !subjects.has(folded)) subjects.set(folded, 1 << subjects.size);
  }
  const canonical = canonicalWords(synonyms);
  const trouble = buildTroubleSigns(intentsFile.trouble, (folded) => folded.forEach((w) => words.add(w)));
  const synonymSpellings = spellingTable(Object.keys(synonymsFile.synonyms));
  return { synonyms, stopwords, intents, intentBlockers, intentPairs, intentPairStarts: pairStarts(intentPairs), canonical, words, subjects, trouble, intentSpellings: intentSpellings(intentsFile), synonymSpellings };
}

/** Abbreviations and synonyms by folded key; "đk" and "dk" fold to one key and their meanings merge. */
function buildSynonyms(file: SynonymsFile, note: (toks: readonly NormToken[]) => void): PhraseTable<readonly (readonly NormToken[])[]> {
  const synonyms = new PhraseTable<readonly (readonly NormToken[])[]>();
  for (const [key, meanings] of Object.entries(file.synonyms)) {
    const keyToks = tokenize(key);
    if (keyToks.length === 0) continue;
    const folded = keyToks.map((t) => t.folded);
    const existing = synonyms.get(folded) ?? [];
    const more = meanings.map((m) => tokenize(m)).filter((m) => m.length > 0);
    more.forEach(note);
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
  return synonyms;
}

/** Intent phrases (the stronger intent keeps a phrase listed twice), their blockers and pairs. */
function buildIntents(
  file: IntentsFile,
  note: (toks: readonly NormToken[]) => void,
): { intents: PhraseTable<IntentName>; intentBlockers: Map<IntentName, Set<string>>; intentPairs: IntentPairs[] } {
  const intents = new PhraseTable<IntentName>();
  const intentBlockers = new Map<IntentName, Set<string>>();
  const intentPairs: IntentPairs[] = [];
  for (const [name, spec] of Object.entries(file.intents) as [IntentName, IntentSpec][]) {
    const blockers = (spec.unless_after ?? []).map((w) => tokenize(w).map((t) => t.folded).join(' ')).filter((w) => w !== '' && !w.includes(' '));
    if (blockers.length > 0) intentBlockers.set(name, new Set(blockers));
    for (const phrase of spec.phrases) {
      const toks = tokenize(phrase);
      note(toks);
      const folded = toks.map((t) => t.folded);
      const prev = intents.get(folded);
      if (prev === undefined || INTENT_ORDER.indexOf(name) < INTENT_ORDER.indexOf(prev)) intents.set(folded, name);
    }
    for (const pair of spec.pairs ?? []) {
      intentPairs.push({ intent: name, first: phraseSet(pair.first, note), then: phraseSet(pair.then, note), within: pair.within });
    }
  }
  return { intents, intentBlockers, intentPairs };
}

/** Per word, the pairs one of whose first or second phrases starts with it. */
function pairStarts(pairs: readonly IntentPairs[]): Map<string, PairStarts> {
  const out = new Map<string, { first: number[]; then: number[] }>();
  pairs.forEach((pair, k) => {
    for (const side of ['first', 'then'] as const) {
      for (const [phrase] of pair[side].entries()) {
        const word = phrase.split(' ')[0]!;
        let e = out.get(word);
        if (!e) out.set(word, (e = { first: [], then: [] }));
        if (e[side].at(-1) !== k) e[side].push(k);
      }
    }
  });
  return out;
}

/** The intents' phrases and pair words with their spellings (only one-word ones are looked up). */
function intentSpellings(file: IntentsFile): PhraseTable<Set<string>> {
  const specs = Object.values(file.intents) as IntentSpec[];
  return spellingTable(specs.flatMap((s) => [...s.phrases, ...(s.pairs ?? []).flatMap((p) => [...p.first, ...p.then])]));
}

/** A set of phrases as a table (folded words). */
function phraseSet(phrases: readonly string[], note: (toks: readonly NormToken[]) => void): PhraseTable<true> {
  const table = new PhraseTable<true>();
  for (const p of phrases) {
    const toks = tokenize(p);
    note(toks);
    table.set(
      toks.map((t) => t.folded),
      true,
    );
  }
  return table;
}

/** One-word synonym keys with a single one-word meaning: the standard word of each. */
function canonicalWords(synonyms: PhraseTable<readonly (readonly NormToken[])[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, meanings] of synonyms.entries()) {
    if (key.includes(' ') || meanings.length !== 1 || meanings[0]!.length !== 1) continue;
    const word = meanings[0]![0]!.folded;
    if (word !== key) out.set(key, word);
  }
  return out;
}
