/**
 * The commune finder: "my old ward is now which ward?" after the 2025 arrangement. Built once per
 * content snapshot from `communes.yaml`; pure and fast (a scan of the message's words against a
 * map of folded names, then a few regular expressions for what is asked).
 */
import type { ContentBundle } from '../core/content.ts';
import type { CommuneAnswer, CommuneFinder, CommuneUnit } from '../core/communes.ts';
import { cueText, readCues } from './commune-cues.ts';
import { buildNameIndex } from './commune-index.ts';
import { scanNames } from './commune-scan.ts';
import { answerSubject, chainsOf, isBareFormer, isShort, markerOf, placeAnswer, subjectOf, withoutHamlets } from './commune-resolve.ts';
import { toWords } from './commune-text.ts';

/** Longest message read (in words): commune questions are short; longer texts are something else. */
export const COMMUNE_QUERY_MAX_WORDS = 60;
/** Longest message read (in characters), checked before splitting it into words. */
export const COMMUNE_QUERY_MAX_CHARS = 600;

const NONE: CommuneAnswer = { kind: 'none' };

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);

/** Builds the finder over the new units (see `communeUnitsOf`). */
export function buildCommuneFinder(units: readonly CommuneUnit[]): CommuneFinder {
  const index = buildNameIndex(units);
  const byId = new Map(units.map((u) => [u.id, u]));

  const find = (text: string): CommuneAnswer => {
    if (text.length > COMMUNE_QUERY_MAX_CHARS) return NONE;
    const words = toWords(text, index.vocab);
    if (words.length === 0 || words.length > COMMUNE_QUERY_MAX_WORDS) return NONE;
    let scan = scanNames(index, words);
    if (scan.mentions.length === 0 && scan.unknown.length === 0) {
      // No name known: a misspelt bare name is read only when the message asks about communes.
      const asks = readCues(cueText(words, new Set()));
      if (!asks.oldToNew && !asks.newToOld && !asks.filing) return NONE;
      scan = scanNames(index, words, true);
    }
    const mentions = withoutHamlets(scan.mentions, words);
    const unknown = scan.unknown;
    if (mentions.length === 0 && unknown.length === 0) return NONE;
    const kindWords = new Set([...mentions, ...unknown].flatMap((m) => range(m.from, 'start' in m ? m.start : m.from + m.kind.length)));
    const nameWords = new Set(mentions.flatMap((m) => range(m.start, m.start + m.words.length)));
    const cues = readCues(cueText(words, kindWords, nameWords));
    const subject = subjectOf(chainsOf(mentions, words), words);
    const marker = subject ? markerOf(words, subject) : undefined;
    const short = subject !== undefined && ((marker !== undefined && isShort(words, subject)) || isBareFormer(words, subject));
    const asked = cues.oldToNew || cues.newToOld || cues.filing || short;
    if (!asked) return NONE;
    const place = placeAnswer(mentions, unknown, subject);
    if (place) return place;
    return subject ? answerSubject(subject, cues, marker) : NONE;
  };

  const pick = (unitId: string, index?: number): CommuneAnswer | undefined => {
    const unit = byId.get(unitId);
    if (!unit) return undefined;
    const former = index !== undefined && index >= 0 ? unit.formedFrom[index] : undefined;
    return former ? { kind: 'former', match: { former, index: index!, unit }, filing: false } : { kind: 'unit', unit, filing: false };
  };

  return { find, pick, units };
}

/** The finder of a content bundle; undefined when it has no `communes.yaml`. */
export function communeFinderOf(bundle: ContentBundle): CommuneFinder | undefined {
  return bundle.communes ? buildCommuneFinder(bundle.communes) : undefined;
}
