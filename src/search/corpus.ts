/**
 * Turns guides into index terms: which text goes into which field, and how a text becomes
 * terms (folded syllables, accented syllables, adjacent pairs, English stems).
 */
import type { Guide } from '../core/guide.ts';
import type { FieldSpec } from './bm25.ts';
import type { TermTable } from './term-table.ts';
import { englishTerm } from './english.ts';
import type { Lexicon } from './lexicon.ts';
import { forEachWord, normToken, normalizeText, type NormToken } from './normalize.ts';

/** Prefix of accented-syllable terms (present only for words written with diacritics). */
export const ACCENT_PREFIX = '~';

/** Field numbers (positions in FIELDS and bits in posting masks) that the writer treats apart. */
const F_BODY = 4;
const F_EN_TITLE = 5;
const F_EN_BODY = 6;

/**
 * Field weights: curated short fields count most, long step text least. `credit` says how much
 * a word found only in that field shows the guide is about it (a word met only somewhere in the
 * steps is weak evidence: "hôm nay" in a step does not make a guide about today's gold price).
 */
export const FIELDS: readonly FieldSpec[] = [
  { name: 'title', weight: 3, b: 0.5, credit: 1 },
  { name: 'keywords', weight: 3, b: 0.3, credit: 1 },
  { name: 'questions', weight: 1.5, b: 0.6, credit: 0.7 },
  { name: 'summary', weight: 1, b: 0.75, credit: 0.7 },
  { name: 'body', weight: 0.4, b: 0.75, credit: 0.35 },
  { name: 'en-title', weight: 2.5, b: 0.5, credit: 1 },
  { name: 'en-body', weight: 1, b: 0.75, credit: 0.6 },
];

/**
 * The texts of one guide, by field. Step details are left out: long explanations whose words
 * match almost any question weakly (measured: top-1 and wrong answers both improve without them,
 * and the index is smaller).
 */
export function guideTexts(g: Guide): string[][] {
  const body: string[] = [];
  for (const s of g.steps) body.push(s.text);
  body.push(...g.documents, g.fees ?? '', g.processing_time ?? '');
  for (const p of g.where) body.push(p.name, p.note ?? '');
  for (const c of g.contacts) body.push(c.name, c.note ?? '');
  const enBody: string[] = [g.en.summary];
  for (const s of g.en.steps) enBody.push(s.text);
  enBody.push(...(g.en.documents ?? []));
  // How citizens describe what went wrong (problems' titles and signs) counts like a sample question.
  const questions = [...g.questions];
  for (const p of g.problems) {
    questions.push(p.title, ...p.signs);
    enBody.push(p.en.title, ...(p.en.signs ?? []));
  }
  return [[g.title], g.keywords, questions, [g.summary], body, [g.en.title, ...(g.en.keywords ?? [])], enBody];
}

/** Pair term of two adjacent words (folded syllables, or `en:` stems). */
export function pairTerm(a: string, b: string): string {
  return a + ' ' + b;
}

/** Where a text's terms go: the index builder (or anything with the same method). */
export interface TermSink {
  readonly table: TermTable;
  term(id: number, field: number): void;
}

/** A word as the index builder needs it, looked up once per distinct spelling. */
interface WordIds {
  readonly token: NormToken;
  /** Id of the folded term. */
  readonly id: number;
  /** Id of the accented term, -1 for a word without diacritics. */
  readonly accentId: number;
  /** Some abbreviation key starts with this word. */
  readonly synonymStart: boolean;
}

/** The terms one text gives, in the order they are written, and its length in words. */
interface TextTerms {
  readonly ids: Int32Array;
  readonly words: number;
}

/** Growable list of term ids (one per text being turned into terms, reused). */
class IdList {
  ids = new Int32Array(256);
  length = 0;
  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }
  take(words: number): TextTerms {
    const out = { ids: this.ids.slice(0, this.length), words };
    this.length = 0;
    return out;
  }
}

/**
 * Turns guide text into term ids. Keeps one entry per distinct word it has seen, so each word
 * of the content costs one hash lookup (normalisation and term ids are looked up once), and
 * one entry per distinct text, so a text met again (the same step, office or contact in many
 * guides) is only replayed: its term ids are written without reading it a second time.
 */
export class TermWriter {
  private readonly words = new Map<string, WordIds>();
  private readonly english = new Map<string, number>();
  /** Terms of texts already read: Vietnamese with accents and pairs, Vietnamese plain, English. */
  private readonly fullTexts = new Map<string, TextTerms>();
  private readonly plainTexts = new Map<string, TextTerms>();
  private readonly englishFullTexts = new Map<string, TextTerms>();
  private readonly englishPlainTexts = new Map<string, TextTerms>();
  private readonly out = new IdList();

  constructor(
    private readonly sink: TermSink,
    private readonly lexicon: Lexicon,
  ) {}

  private wordIds(word: string): WordIds {
    let w = this.words.get(word);
    if (!w) {
      const token = normToken(word);
      const table = this.sink.table;
      w = {
        token,
        id: table.id(token.folded),
        accentId: token.hasMarks ? table.prefixed(ACCENT_PREFIX, token.accented) : -1,
        synonymStart: this.lexicon.synonyms.startsWith(token.folded),
      };
      this.words.set(word, w);
    }
    return w;
  }

  private pushWords(ids: readonly WordIds[], full: boolean): void {
    const { out } = this;
    const { table } = this.sink;
    let prev = -1;
    for (const w of ids) {
      out.push(w.id);
      if (full) {
        if (w.accentId >= 0) out.push(w.accentId);
        if (prev >= 0) out.push(table.pair(prev, w.id));
      }
      prev = w.id;
    }
  }

  /** Writes `terms` into field `field`; returns the text's length in words. */
  private write(terms: TextTerms, field: number): number {
    const { sink } = this;
    const { ids } = terms;
    for (let i = 0; i < ids.length; i++) sink.term(ids[i]!, field);
    return terms.words;
  }

  /**
   * Writes the Vietnamese terms of one text (for field `field`); returns its length in words.
   * Unambiguous abbreviations in the text ("BHYT") also index their meaning ("bảo hiểm y tế"),
   * so a citizen typing either finds the guide. `full` adds accented forms and adjacent pairs;
   * step text goes without them (weak evidence, and a large share of all words).
   */
  vietnamese(text: string, field: number, full: boolean): number {
    return this.write(this.memo(full ? this.fullTexts : this.plainTexts, text, () => this.vietnameseTerms(text, full)), field);
  }

  /** The terms of `text` from `seen`, made (once) by `make`. */
  private memo(seen: Map<string, TextTerms>, text: string, make: () => TextTerms): TextTerms {
    let terms = seen.get(text);
    if (!terms) {
      terms = make();
      seen.set(text, terms);
    }
    return terms;
  }

  private vietnameseTerms(text: string, full: boolean): TextTerms {
    const ids: WordIds[] = [];
    let synonyms = false;
    forEachWord(normalizeText(text), (word) => {
      const w = this.wordIds(word);
      ids.push(w);
      if (w.synonymStart) synonyms = true;
    });
    this.pushWords(ids, full);
    if (synonyms) {
      const folded = ids.map((w) => w.token.folded);
      for (let i = 0; i < ids.length; i++) {
        if (!ids[i]!.synonymStart) continue;
        const m = this.lexicon.synonyms.matchAt(folded, i);
        if (m && m.value.length === 1) this.pushWords(m.value[0]!.map((t) => this.wordIds(t.accented)), full);
      }
    }
    return this.out.take(ids.length);
  }

  /**
   * Writes the English terms of one text: stems (function words dropped) and, with `pairs`,
   * adjacent pairs. Like the Vietnamese steps, English steps and papers go without pairs: an
   * "activated VNeID account" among the papers of many guides says none of them is about it.
   */
  englishText(text: string, field: number, pairs = true): number {
    return this.write(this.memo(pairs ? this.englishFullTexts : this.englishPlainTexts, text, () => this.englishTerms(text, pairs)), field);
  }

  private englishTerms(text: string, pairs: boolean): TextTerms {
    // English text needs no Vietnamese normalisation: runs of lower-case ASCII letters and
    // digits are the words (scanned by hand: this runs for every distinct English text).
    const { out } = this;
    const { table } = this.sink;
    const lower = text.toLowerCase();
    let prev = -1;
    let words = 0;
    let start = -1;
    for (let i = 0; i <= lower.length; i++) {
      const c = i < lower.length ? lower.charCodeAt(i) : 0;
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      const t = lower.slice(start, i);
      start = -1;
      words++;
      let id = this.english.get(t);
      if (id === undefined) {
        const term = englishTerm(t);
        id = term === undefined ? -1 : table.id(term);
        this.english.set(t, id);
      }
      if (id >= 0) {
        out.push(id);
        if (pairs && prev >= 0) out.push(table.pair(prev, id));
      }
      prev = id;
    }
    return out.take(words);
  }

  /** Writes every term of a guide; returns the length of each field in words. */
  guide(g: Guide): number[] {
    return guideTexts(g).map((values, f) => {
      let words = 0;
      for (const v of values) {
        if (!v) continue;
        const english = f === F_EN_TITLE || f === F_EN_BODY;
        words += english ? this.englishText(v, f, f === F_EN_TITLE || v === g.en.summary) : this.vietnamese(v, f, f !== F_BODY);
      }
      return words;
    });
  }
}
