/**
 * What the index builder keeps of each guide between builds, so that a reload reads again only
 * the guides that changed: an editor's save changes one guide of thousands, and reading a
 * guide's text into terms, keyword phrases, subjects and problem signs is most of a build's work.
 *
 * A guide is known by its object: the content loader hands back the very object it had for a
 * guide whose data did not change (off-thread-load.ts), and guides are never mutated. What is
 * kept of a guide depends on the guide and the lexicon alone (never on the other guides), so the
 * index built over kept and new parts is the index a build from scratch makes; everything that
 * depends on all guides (BM25 weights, keyword phrase weights, the typo vocabulary) is computed
 * anew by every build, into new structures: the index in use is never touched.
 */
import type { ContentBundle } from '../core/content.ts';
import type { Guide } from '../core/guide.ts';
import { DocTermsRecorder, type DocTerms } from './bm25.ts';
import { TermWriter } from './corpus.ts';
import { guidePhrases, type GuidePhrases } from './keywords.ts';
import { buildLexicon, type Lexicon } from './lexicon.ts';
import { tokenize } from './normalize.ts';
import { guideProblems, type GuideProblems } from './problems.ts';
import { ITEMS_PER_STEP, type Steps } from './steps.ts';
import { numberedWords, subjectMask } from './subjects.ts';

/** What an index takes from one guide, read from the guide and the lexicon alone. */
export interface GuidePart {
  readonly terms: DocTerms;
  /** The subjects its titles name, and those its titles or keywords mention. */
  readonly subjects: number;
  readonly mentions: number;
  /** The words its titles number ("mức 2"). */
  readonly numbered: Map<string, Set<string>>;
  readonly problems: GuideProblems;
  readonly phrases: GuidePhrases;
}

/** The guides of a bundle, read: one part per guide, in guide order. */
export interface ReadGuides {
  readonly lexicon: Lexicon;
  /** The strings of the term ids in the parts' `terms`. */
  readonly terms: readonly string[];
  readonly parts: readonly GuidePart[];
}

/** How the last {@link IndexMemory.read} went (for tests and logs). */
export interface ReadStats {
  readonly guides: number;
  /** Guides read anew (the others were kept). */
  readonly reread: number;
  /** True when it started from nothing (first build, new lexicon, or a large change). */
  readonly fresh: boolean;
}

/**
 * More changed guides than this share of them, and the build starts from nothing (a fresh term
 * table): a large change is a new content, and the term ids of the guides it replaces would
 * only be dead weight.
 */
export const FRESH_SHARE = 0.25;

/**
 * A term table that grew to this many times its size after the last fresh start holds mostly the
 * terms of texts edited away: the next build starts from nothing.
 */
const FRESH_GROWTH = 2;

/**
 * The parts of the guides of the last build, and the term table their terms' ids come from. One per live index lineage (the content manager's reloads); builds must not run
 * at the same time on one memory (a reload waits for the one in progress).
 */
export class IndexMemory {
  private reader: Reader | undefined;
  private parts = new Map<Guide, GuidePart>();
  /** The table's size right after the last fresh start. */
  private freshTerms = 0;
  private stats: ReadStats = { guides: 0, reread: 0, fresh: true };

  /** How the last read went. */
  get last(): ReadStats {
    return this.stats;
  }

  /** The parts of the bundle's guides: kept ones as they are, the others read now (one per step). */
  *read(bundle: Pick<ContentBundle, 'guideList' | 'synonyms' | 'intents'>): Steps<ReadGuides> {
    const guides = bundle.guideList;
    const key = JSON.stringify([bundle.synonyms, bundle.intents]);
    let changed = 0;
    for (const g of guides) if (!this.parts.has(g)) changed++;
    let reader = this.reader;
    const fresh = !reader || key !== reader.key || changed > guides.length * FRESH_SHARE || reader.recorder.table.terms.length > this.freshTerms * FRESH_GROWTH;
    if (!reader || fresh) {
      reader = { key, lexicon: buildLexicon(bundle.synonyms, bundle.intents), recorder: new DocTermsRecorder() };
      this.reader = reader;
      this.parts = new Map();
      yield;
    }
    const { lexicon, recorder } = reader;
    // A writer for this read only: its memory of texts makes a full read fast (a step or an
    // office shared by many guides is read once), and would keep tens of MB between reloads.
    const writer = new TermWriter(recorder, lexicon);
    const parts: GuidePart[] = [];
    const next = new Map<Guide, GuidePart>();
    let reread = 0;
    for (let i = 0; i < guides.length; i++) {
      const g = guides[i]!;
      let part = this.parts.get(g);
      if (part) {
        if ((i & 1023) === 0) yield;
      } else {
        part = readGuide(g, lexicon, recorder.end(writer.guide(g)));
        reread++;
        yield;
      }
      parts.push(part);
      next.set(g, part);
    }
    // Only the guides of this bundle are kept: a removed or replaced guide is let go.
    this.parts = next;
    if (fresh) this.freshTerms = recorder.table.terms.length;
    this.stats = { guides: guides.length, reread, fresh };
    return { lexicon, terms: recorder.table.terms, parts };
  }
}

/** What reads guides into parts: the lexicon, and the term table of their terms. */
interface Reader {
  /** The lexicon's source (synonyms and intents as JSON): when it changes, nothing kept is valid. */
  readonly key: string;
  readonly lexicon: Lexicon;
  readonly recorder: DocTermsRecorder;
}

/** One guide's part, its terms already recorded. */
function readGuide(g: Guide, lexicon: Lexicon, terms: DocTerms): GuidePart {
  return {
    terms,
    subjects: subjectMask(lexicon, `${g.title} ${g.en.title}`),
    mentions: subjectMask(lexicon, `${g.title} ${g.en.title} ${g.keywords.join(' ')} ${(g.en.keywords ?? []).join(' ')}`),
    numbered: numberedWords(tokenize(`${g.title} ${g.en.title}`).map((t) => t.folded)),
    problems: guideProblems(g, lexicon),
    phrases: guidePhrases(g, lexicon),
  };
}
