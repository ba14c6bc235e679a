/**
 * Scoring of a commune question set (pure). Each line: `{"q", "expect_commune"}` where
 * `expect_commune` is a new unit's name (answered with it), a list of names (the bot asks which,
 * offering exactly these, in any order) or "@none" (no commune answer: not such a question, or
 * outside Cần Thơ).
 */
import { communeNames, type CommuneFinder } from '../core/communes.ts';

/** One line of a commune set. */
export interface CommuneEvalItem {
  readonly q: string;
  /** The names expected (empty for "@none"). */
  readonly expect: readonly string[];
  /** 1-based line in the file. */
  readonly line: number;
}

/** One line that got something else. */
export interface CommuneEvalMiss extends CommuneEvalItem {
  readonly got: readonly string[];
  /** The finder's answer kind (`former`, `choose`, `none`…). */
  readonly kind: string;
}

/** The score of a commune set. */
export interface CommuneEvalReport {
  readonly right: number;
  readonly total: number;
  readonly misses: readonly CommuneEvalMiss[];
}

/** Parses a commune set; throws (with the line number) on a malformed line. Blank lines are skipped. */
export function parseCommuneJsonl(text: string): CommuneEvalItem[] {
  const out: CommuneEvalItem[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const v = JSON.parse(raw) as { q?: unknown; expect_commune?: unknown };
    const e = v.expect_commune;
    if (typeof v.q !== 'string') throw new Error(`line ${i + 1}: no "q" string`);
    if (typeof e === 'string') out.push({ q: v.q, expect: e === '@none' ? [] : [e], line: i + 1 });
    else if (Array.isArray(e) && e.every((x) => typeof x === 'string')) out.push({ q: v.q, expect: e as string[], line: i + 1 });
    else throw new Error(`line ${i + 1}: "expect_commune" must be a name, a list of names or "@none"`);
  });
  return out;
}

const sameNames = (a: readonly string[], b: readonly string[]) => {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((n, i) => n === y[i]);
};

/** Runs the finder on every item; a line is right when the names match as sets. */
export function scoreCommunes(finder: CommuneFinder | undefined, items: readonly CommuneEvalItem[]): CommuneEvalReport {
  const misses: CommuneEvalMiss[] = [];
  for (const item of items) {
    const answer = finder?.find(item.q) ?? { kind: 'none' as const };
    const got = communeNames(answer);
    if (!sameNames(got, item.expect)) misses.push({ ...item, got, kind: answer.kind });
  }
  return { right: items.length - misses.length, total: items.length, misses };
}

/** The questions of a (guide) set the finder answers at all: it should be only commune questions. */
export function communeFires(finder: CommuneFinder | undefined, questions: readonly string[]): { q: string; kind: string; names: string[] }[] {
  if (!finder) return [];
  return questions.flatMap((q) => {
    const a = finder.find(q);
    return a.kind === 'none' ? [] : [{ q, kind: a.kind, names: communeNames(a) }];
  });
}
