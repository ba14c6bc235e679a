/**
 * Query analysis: from what a citizen typed to weighted "slots" (one per content word or
 * abbreviation), each with its alternative readings (the word itself, a Telex/VNI repair,
 * a typo fix, every meaning of an abbreviation), plus the intent phrases found.
 */
import { isAspectIntent, type IntentName } from '../core/guide.ts';
import type { Postings } from './bm25.ts';
import { pairTerm } from './corpus.ts';
import { EN_PREFIX, ENGLISH_STOPWORDS, englishTerm, looksEnglish, SINGLE_LETTER } from './english.ts';
import { INTENT_ORDER, type IntentPairs } from './lexicon.ts';
import { tokenize, type NormToken } from './normalize.ts';
import { typedAsListed } from './phrases.ts';
import { englishAges, readNumbers } from './numbers.ts';
import { englishPlaceMask, placeMask } from './places.ts';
import { altOf, knownInEnglish, meansGrammar, repair, singleWord, slotWeight, splitRunTogether, wordSlot } from './readings.ts';
import type { AnalysedQuery, AnalyserContext, QuerySlot } from './query-types.ts';

export type { AnalysedQuery, AnalyserContext, QueryAlt, QuerySlot, QueryWord } from './query-types.ts';

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
  if (t.hasMarks) return typedAsListed(m.value, t) ? 1 : 0;
  return ctx.ambiguousStops.has(t.folded) ? 0 : 1;
}

/**
 * Whether a word may be read as the one-word synonym key it folds to: typed without marks, or
 * with marks the key is listed with ("để" is not "đẻ", "cuối" is not "cưới", "hồng" is not "hông").
 */
function synonymSpelled(ctx: AnalyserContext, t: NormToken): boolean {
  return typedAsListed(ctx.lexicon.synonymSpellings.get([t.folded]), t, true);
}

/** Where a clause ends: a comma, a semicolon, "!", "?", a line break, an ellipsis, or a full stop before a space. */
const CLAUSE_END = /[,;!?\n…]|\.(?=\s)/;

/** Analyses one message. Never throws; an empty message gives no slots. */
export function analyseQuery(ctx: AnalyserContext, text: string): AnalysedQuery {
  // Tokenised clause by clause: a word that cancels an intent ("không có ai trả lời") does so only
  // in its own clause ("… hông, người thiệt á" still asks for a person).
  const clauses = text.split(CLAUSE_END).map((c) => readNumbers(tokenize(c)));
  const typed = clauses.flat();
  const english = isEnglish(ctx, typed);
  const pieces = english ? clauses.map(englishAges) : clauses;
  const raw = english ? pieces.flat() : typed;
  const clauseStart = new Uint8Array(raw.length);
  for (let k = 0, n = 0; k < pieces.length; n += pieces[k]!.length, k++) if (n < raw.length) clauseStart[n] = 1;
  // Telex/VNI repair is for Vietnamese: "of" must not become "ò".
  const toks = english ? raw : raw.map((t) => repair(ctx, t));
  const folded = toks.map((t) => t.folded);
  const canon = folded.map((w, i) => (synonymSpelled(ctx, toks[i]!) ? (ctx.lexicon.canonical.get(w) ?? w) : w));
  const marks = markIntents(ctx, toks, folded, canon, clauseStart);
  const { slots, topicSlots, slotInNotCovered } = buildSlots(ctx, toks, folded, english, marks);
  markRepeats(slots);
  const links = linkSlots(ctx, slots);
  const { primary, guessed, primaryNotCovered } = primaryWords(slots, slotInNotCovered, marks.anyNotCovered);
  const phrases = findPhrases(ctx, { folded, slots, primary, english, marks, primaryNotCovered });
  // A scam reported with a call in it ("có người gọi cho chú nói là công an…", "someone call me,
  // say he is police") is the report: the scam guide's answer, its hotlines and a person offered.
  if (marks.found.has('scam-report')) marks.found.delete('handoff');
  const intents = INTENT_ORDER.filter((n) => marks.found.has(n));
  return { slots, links, english, intents, words: primary, guessed, normalized: primary.join(' '), phrases, topicSlots, tokens: canon };
}

/** A message without diacritics whose words read as English. */
function isEnglish(ctx: AnalyserContext, raw: readonly NormToken[]): boolean {
  // A few words with diacritics are place names in an English sentence ("the house I bought in
  // Cần Thơ"); more than a quarter of them is a Vietnamese sentence with English words in it.
  const marked = raw.reduce((n, t) => n + (t.hasMarks ? 1 : 0), 0);
  if (marked * 4 > raw.length) return false;
  return looksEnglish(
    raw.flatMap((t) => (t.hasMarks ? [] : [t.folded])),
    (w) => ctx.index.has(w),
    (w) => knownInEnglish(ctx, w) || (englishTerm(w) !== undefined && foreignWord(ctx, w)),
    marked > 0 ? 2 : 1,
  );
}

/** Two vowel groups with a consonant between ("weather", "tomorrow"): no one Vietnamese syllable ('w' is Telex for ư/ơ/ă). */
const TWO_VOWEL_GROUPS = /[aeiouyw][^aeiouyw0-9]+[aeiouyw]/;

/**
 * A word the guides do not know in either language that cannot be one Vietnamese syllable nor a
 * run of them ("weather", "tomorrow", not "dichvucong"): English evidence too, so "What's the
 * weather in Can Tho tomorrow?" is answered in English.
 */
function foreignWord(ctx: AnalyserContext, w: string): boolean {
  return !ctx.index.has(w) && TWO_VOWEL_GROUPS.test(w) && splitRunTogether(ctx, w) === undefined;
}

/** Where intent phrases sit in the message: words they take, follow-up words, not-covered words. */
interface IntentMarks {
  readonly found: Set<IntentName>;
  /** The words of a handoff/greeting/scam phrase: not content. */
  readonly covered: Uint8Array;
  /** The words of a follow-up phrase ("ở đâu"): content, but no topic. */
  readonly aspect: Uint8Array;
  /** The words of a topic no guide covers: content. */
  readonly notCovered: Uint8Array;
  readonly anyNotCovered: boolean;
}

/** Finds the intent phrases of the message, as typed or read in standard words ("hông" → "không"). */
function markIntents(
  ctx: AnalyserContext,
  toks: readonly NormToken[],
  folded: readonly string[],
  canon: readonly string[],
  clauseStart: Uint8Array,
): IntentMarks {
  const { lexicon } = ctx;
  // A one-word phrase typed with marks must have the marks it is listed with: "Môn" is no "mơn".
  const spelled = (i: number, n: number): boolean => {
    const t = toks[i];
    if (n !== 1 || !t || canon[i] !== folded[i]) return true;
    return typedAsListed(lexicon.intentSpellings.get([folded[i]!]), t);
  };
  const covered = new Uint8Array(folded.length);
  const aspect = new Uint8Array(folded.length);
  const notCovered = new Uint8Array(folded.length);
  const found = new Set<IntentName>();
  // Most messages read as typed: then the words need scanning once, not twice.
  const sameWords = canon.every((w, i) => w === folded[i]);
  const mark = (name: IntentName, from: number, to: number) => {
    found.add(name);
    // A topic the guides do not cover is still part of the question (its words count as content),
    // and so is a follow-up's phrase ("ở đâu" in "nộp hồ sơ ở đâu").
    if (isAspectIntent(name)) aspect.fill(1, from, to);
    else if (name === 'not-covered') notCovered.fill(1, from, to);
    else covered.fill(1, from, to);
  };
  for (let i = 0; i < folded.length; i++) {
    const typed = lexicon.intents.matchAt(folded, i);
    const read = sameWords ? typed : lexicon.intents.matchAt(canon, i);
    const m = read && (!typed || read.words > typed.words) ? read : typed;
    if (!m || !spelled(i, m.words)) continue;
    // "sợ bị lừa": a word right before the phrase says the intent is not meant; the words stay content.
    const blockers = lexicon.intentBlockers.get(m.value);
    if (i > 0 && !clauseStart[i] && (blockers?.has(folded[i - 1]!) || blockers?.has(canon[i - 1]!))) {
      i += m.words - 1;
      continue;
    }
    mark(m.value, i, i + m.words);
    i += m.words - 1;
  }
  const possible = possiblePairs(lexicon, sameWords ? [folded] : [folded, canon]);
  for (let k = 0; k < lexicon.intentPairs.length; k++) {
    if (possible[k] !== 3) continue; // a side no word of the message starts: not scanned (most pairs, most messages)
    const pairs = lexicon.intentPairs[k]!;
    // A follow-up's every phrase is marked ("free hông hay bị trừ phí": both are the fee), so none
    // of its words is left to name a topic; other intents need one match.
    const more = found.has(pairs.intent);
    if (more && !isAspectIntent(pairs.intent)) continue;
    // Read in standard words ('hông' → 'không'), or as typed where that reading changes a word ('đó' is no 'dô').
    const at = findPair(pairs, canon, spelled) ?? (sameWords ? undefined : findPair(pairs, folded, spelled));
    // A word right before the pair that cancels its intent ("không có ai trả lời") cancels it too.
    const blockers = lexicon.intentBlockers.get(pairs.intent);
    if (at && at[0] > 0 && !clauseStart[at[0]] && (blockers?.has(folded[at[0] - 1]!) || blockers?.has(canon[at[0] - 1]!))) continue;
    if (!at) continue;
    // The intent's first evidence takes the words between its two phrases too ("chủ nhật bên xã
    // có làm hông"); a further pair of a follow-up found already only its own two phrases, so
    // "lệ phí đăng ký tạm trú bao nhiêu tiền" keeps its topic.
    if (more) {
      mark(pairs.intent, at[0], at[1]);
      mark(pairs.intent, at[2], at[3]);
    } else mark(pairs.intent, at[0], at[3]);
  }
  return { found, covered, aspect, notCovered, anyNotCovered: notCovered.includes(1) };
}

/**
 * Per intent pair (by position), bit 1: one of its first phrases starts with a word of the
 * message (of one of its `readings`: as typed, as read), bit 2: one of its second phrases does. A pair without both cannot be found.
 */
function possiblePairs(lexicon: AnalyserContext['lexicon'], readings: readonly (readonly string[])[]): Uint8Array {
  const possible = new Uint8Array(lexicon.intentPairs.length);
  for (const words of readings) {
    for (const w of words) {
      const starts = lexicon.intentPairStarts.get(w);
      if (!starts) continue;
      for (const k of starts.first) possible[k]! |= 1;
      for (const k of starts.then) possible[k]! |= 2;
    }
  }
  return possible;
}

/**
 * Where a word of `first` is followed, within `within` words, by a word of `then`: the first
 * phrase [from, to) and the second [from, to).
 */
function findPair(pairs: IntentPairs, words: readonly string[], spelled: (i: number, n: number) => boolean): [number, number, number, number] | undefined {
  for (let i = 0; i < words.length; i++) {
    const f = pairs.first.matchAt(words, i);
    if (!f || !spelled(i, f.words)) continue;
    const start = i + f.words;
    for (let j = start; j < words.length && j <= start + pairs.within; j++) {
      const t = pairs.then.matchAt(words, j);
      if (t && spelled(j, t.words)) return [i, start, j, j + t.words];
    }
  }
  return undefined;
}

/** The content slots of the message: abbreviations read as their meanings, stop words dropped. */
function buildSlots(
  ctx: AnalyserContext,
  toks: readonly NormToken[],
  folded: readonly string[],
  english: boolean,
  marks: IntentMarks,
): { slots: QuerySlot[]; topicSlots: number; slotInNotCovered: boolean[] } {
  const slots: QuerySlot[] = [];
  const slotInNotCovered: boolean[] = [];
  let topicSlots = 0;
  const places = english ? englishPlaceMask(ctx.places, folded) : placeMask(ctx.places, folded);
  const add = (slot: QuerySlot, i: number) => {
    const placed = places[i] === 2 ? { ...slot, place: true as const } : slot;
    slots.push(marks.aspect[i] ? { ...placed, aspect: true } : placed);
    if (!marks.aspect[i]) topicSlots++;
    slotInNotCovered.push(marks.notCovered[i] === 1);
  };
  for (let i = 0; i < toks.length; ) {
    if (marks.covered[i]) {
      i++;
      continue;
    }
    // Where the citizen lives ("ở xã Lương Tâm") is context, never the topic.
    if (places[i] === 1) {
      i++;
      continue;
    }
    const found = ctx.lexicon.synonyms.matchAt(folded, i);
    const syn = found && (found.words > 1 || synonymSpelled(ctx, toks[i]!)) ? found : undefined;
    const stop = english ? (ENGLISH_STOPWORDS.has(folded[i]!) || SINGLE_LETTER.test(folded[i]!) ? 1 : 0) : stopLength(ctx, toks, folded, i);
    if (stop > 0 && (!syn || stop >= syn.words)) {
      i += stop;
      continue;
    }
    if (syn) {
      const slot = synonymSlot(ctx, toks, folded, i, syn.words, syn.value, english);
      if (slot) add(slot, i);
      i += syn.words;
      continue;
    }
    const slot = wordSlot(ctx, toks[i]!, english, folded[i - 1], folded[i + 1]);
    if (slot) add(slot, i);
    i++;
  }
  return { slots, topicSlots, slotInNotCovered };
}

/** A slot for an abbreviation or synonym: each meaning a reading, and the literal words when the guides have them. */
function synonymSlot(
  ctx: AnalyserContext,
  toks: readonly NormToken[],
  folded: readonly string[],
  i: number,
  words: number,
  values: readonly (readonly NormToken[])[],
  english: boolean,
): QuerySlot | undefined {
  const meanings = values.filter((m) => !isStopPhrase(ctx, m));
  if (meanings.length === 0) return undefined;
  const alts = meanings.map((m) => altOf(ctx, m));
  const literal = folded.slice(i, i + words);
  if (literal.every((w) => ctx.index.has(w))) alts.push(altOf(ctx, toks.slice(i, i + words)));
  const en = english && words === 1 ? englishTerm(literal[0]!) : undefined;
  if (en && ctx.index.has(en)) alts.push(singleWord(ctx, en));
  const slot = { text: literal.join(' '), alts, weight: slotWeight(alts) };
  return meansGrammar(meanings) ? { ...slot, grammar: true } : slot;
}

/** A word said again later counts once (it stays for adjacency). */
function markRepeats(slots: QuerySlot[]): void {
  const seen = new Set<string>();
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s]!;
    if (seen.has(slot.text)) slots[s] = { ...slot, repeat: true };
    else seen.add(slot.text);
  }
}

/** For each pair of neighbouring slots, the postings of the pair terms the index has. */
function linkSlots(ctx: AnalyserContext, slots: readonly QuerySlot[]): Postings[][] {
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
  return links;
}

/** The primary reading's words, whether each is a guess, and which belong to a not-covered topic. */
function primaryWords(
  slots: readonly QuerySlot[],
  slotInNotCovered: readonly boolean[],
  anyNotCovered: boolean,
): { primary: string[]; guessed: boolean[]; primaryNotCovered: number[] } {
  const primary: string[] = [];
  const guessed: boolean[] = [];
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
  return { primary, guessed, primaryNotCovered };
}

/** Ids of the guides' keyword phrases found word for word (in the typed words or the primary readings). */
function findPhrases(
  ctx: AnalyserContext,
  q: {
    folded: readonly string[];
    slots: readonly QuerySlot[];
    primary: readonly string[];
    english: boolean;
    marks: IntentMarks;
    primaryNotCovered: readonly number[];
  },
): number[] {
  const found = new Set<number>();
  if (!q.english) {
    // A guide's keyword inside a topic no guide covers ("biển số" in "đấu giá biển số") is part of
    // that topic, not the guide's.
    const any = q.marks.anyNotCovered;
    ctx.keywords.find(q.folded, found, any ? q.marks.notCovered : undefined);
    ctx.keywords.find(q.primary, found, any ? Uint8Array.from(q.primaryNotCovered) : undefined);
  } else {
    // English keyword phrases are stored as the English terms the query's first readings are.
    const terms = q.slots.flatMap((s) => (s.alts[0] ? s.alts[0].words.map((w) => w.term) : []));
    ctx.keywords.find(terms, found);
    // One word inside a phrase does not hide it: "register my new motorbike" has "register
    // motorbike", "pay my electricity bill online" has "pay electricity bill".
    for (let i = 1; i < terms.length - 1; i++) ctx.keywords.find([terms[i - 1]!, terms[i + 1]!], found);
  }
  return [...found];
}
