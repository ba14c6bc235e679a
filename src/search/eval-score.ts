/**
 * Scoring of an evaluation set (pure): each line names what a message should get, a guide id
 * or "@handoff", "@greeting", "@none" (out of scope: must fall back).
 */
import type { Decision } from '../core/ports.ts';

/** One evaluation line with what the index did. */
export interface EvalOutcome {
  readonly q: string;
  /** A guide id (or several, any of them right), or "@handoff", "@greeting", "@none". */
  readonly expect: string | readonly string[];
  /** The kind of speech (elderly, dialect, English…), when the set says. */
  readonly kind?: string;
  readonly decision: Decision;
  /** Guide ids, best first. */
  readonly guides: readonly string[];
}

/** Why a line counts as a miss. */
export type MissKind =
  | 'wrong-top1' // in scope, another guide ranked first
  | 'not-answered' // in scope, right guide first, but clarified or fell back
  | 'wrong-answer' // answered with a guide that is not the expected one (or for a non-guide line)
  | 'not-declined' // out of scope, but not a fallback
  | 'intent-missed'; // handoff or greeting not recognised

/** One miss, for the report. */
export interface EvalMiss extends EvalOutcome {
  readonly miss: MissKind;
}

/** A share: count out of total, and the ratio (0 when total is 0). */
export interface Share {
  readonly count: number;
  readonly total: number;
  readonly ratio: number;
}

/** The scores `npm run eval` prints. */
export interface EvalReport {
  readonly total: number;
  /** In-scope lines whose expected guide ranks first. */
  readonly top1: Share;
  /** In-scope lines whose expected guide is among the first three. */
  readonly top3: Share;
  /** In-scope lines answered (decision answer) with the expected guide. */
  readonly answeredRight: Share;
  /** Lines answered with a wrong guide, or answered when they are not guide questions; of all lines. */
  readonly wrongAnswers: Share;
  /** Out-of-scope lines that fell back. */
  readonly outOfScopeDeclined: Share;
  readonly handoffRecognised: Share;
  readonly greetingRecognised: Share;
  readonly misses: readonly EvalMiss[];
}

function share(count: number, total: number): Share {
  return { count, total, ratio: total === 0 ? 0 : count / total };
}

/** Scores outcomes. Lines with an unknown "@…" expectation count only towards wrong answers. */
export function scoreEval(outcomes: readonly EvalOutcome[]): EvalReport {
  let inScope = 0;
  let top1 = 0;
  let top3 = 0;
  let answeredRight = 0;
  let wrong = 0;
  let oos = 0;
  let declined = 0;
  let handoff = 0;
  let handoffOk = 0;
  let greeting = 0;
  let greetingOk = 0;
  const misses: EvalMiss[] = [];
  for (const o of outcomes) {
    const first = o.guides[0];
    const expected = typeof o.expect === 'string' ? [o.expect] : o.expect;
    const special = expected.length === 1 && expected[0]!.startsWith('@') ? expected[0]! : undefined;
    const right = (id: string | undefined) => id !== undefined && special === undefined && expected.includes(id);
    const answeredWrong = o.decision === 'answer' && !right(first);
    if (answeredWrong) {
      wrong++;
      misses.push({ ...o, miss: 'wrong-answer' });
    }
    if (special === undefined) {
      inScope++;
      if (right(first)) top1++;
      else if (!answeredWrong) misses.push({ ...o, miss: 'wrong-top1' });
      if (o.guides.slice(0, 3).some(right)) top3++;
      if (right(first) && o.decision === 'answer') answeredRight++;
      else if (right(first)) misses.push({ ...o, miss: 'not-answered' });
    } else if (special === '@none') {
      oos++;
      if (o.decision === 'fallback') declined++;
      else if (!answeredWrong) misses.push({ ...o, miss: 'not-declined' });
    } else if (special === '@handoff' || special === '@greeting') {
      const ok = o.decision === special.slice(1);
      if (special === '@handoff') {
        handoff++;
        if (ok) handoffOk++;
      } else {
        greeting++;
        if (ok) greetingOk++;
      }
      if (!ok && !answeredWrong) misses.push({ ...o, miss: 'intent-missed' });
    }
  }
  return {
    total: outcomes.length,
    top1: share(top1, inScope),
    top3: share(top3, inScope),
    answeredRight: share(answeredRight, inScope),
    wrongAnswers: share(wrong, outcomes.length),
    outOfScopeDeclined: share(declined, oos),
    handoffRecognised: share(handoffOk, handoff),
    greetingRecognised: share(greetingOk, greeting),
    misses,
  };
}

/** One line of an evaluation set. */
export interface EvalItem {
  readonly q: string;
  readonly expect?: string | readonly string[];
  readonly kind?: string;
  readonly line: number;
}

/** Parses JSON lines with a `q` field (and optional `expect`, `kind`); blank lines are skipped. */
export function parseJsonl(text: string): EvalItem[] {
  const out: EvalItem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const v = JSON.parse(line) as { q?: unknown; expect?: unknown; kind?: unknown };
    if (typeof v.q !== 'string') throw new Error(`line ${i + 1}: no "q" string`);
    const expect =
      typeof v.expect === 'string' ? v.expect : Array.isArray(v.expect) && v.expect.every((x) => typeof x === 'string') ? (v.expect as string[]) : undefined;
    out.push({ q: v.q, line: i + 1, ...(expect !== undefined ? { expect } : {}), ...(typeof v.kind === 'string' ? { kind: v.kind } : {}) });
  });
  return out;
}

/** Scores each kind of speech apart (lines without a kind are left out), kinds in first-seen order. */
export function scoreByKind(outcomes: readonly EvalOutcome[]): Map<string, EvalReport> {
  const groups = new Map<string, EvalOutcome[]>();
  for (const o of outcomes) {
    if (o.kind === undefined) continue;
    const list = groups.get(o.kind) ?? [];
    list.push(o);
    groups.set(o.kind, list);
  }
  return new Map([...groups].map(([k, list]) => [k, scoreEval(list)]));
}
