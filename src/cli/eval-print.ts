/** How `npm run eval` prints its scores: the summary, the table per kind of speech, the misses. */
import type { BuiltGuideIndex } from '../search/index.ts';
import type { EvalMiss, EvalReport, Share } from '../search/eval-score.ts';

/** "93.1 %  (27/29)". */
export function pct(s: Share): string {
  return `${(s.ratio * 100).toFixed(1).padStart(5)} %  (${s.count}/${s.total})`;
}

/** The summary block of one engine on one set. */
export function summary(name: string, r: EvalReport): string {
  return [
    `── ${name}`,
    `top-1 accuracy (in scope)      ${pct(r.top1)}`,
    `top-3 accuracy (in scope)      ${pct(r.top3)}`,
    `answered right (in scope)      ${pct(r.answeredRight)}`,
    `wrong answers (of all)         ${pct(r.wrongAnswers)}`,
    `out-of-scope declined          ${pct(r.outOfScopeDeclined)}`,
    `handoff recognised             ${pct(r.handoffRecognised)}`,
    `greeting recognised            ${pct(r.greetingRecognised)}`,
  ].join('\n');
}

/** A share as a short cell ("93 % 27/29"), or "–" when the kind has no such line. */
function cell(s: Share): string {
  return s.total === 0 ? '–'.padStart(12) : `${Math.round(s.ratio * 100)} % ${s.count}/${s.total}`.padStart(12);
}

/**
 * One row per kind of speech: lines, top-1, answered right, wrong answers, out of scope declined,
 * requests for a person heard, greetings heard.
 */
export function kindTable(byKind: ReadonlyMap<string, EvalReport>): string {
  const head = ['kind'.padEnd(14), 'lines'.padStart(5), ...['top-1', 'answered', 'wrong', 'declined', 'handoff', 'greeting'].map((h) => h.padStart(12))].join(' ');
  const rows = [...byKind].map(([kind, r]) =>
    [kind.padEnd(14), String(r.total).padStart(5), cell(r.top1), cell(r.answeredRight), cell(r.wrongAnswers), cell(r.outOfScopeDeclined), cell(r.handoffRecognised), cell(r.greetingRecognised)].join(' '),
  );
  return ['── by kind of speech', head, ...rows].join('\n');
}

/** The misses, one line each (with the index's evidence when `explain`). */
export function missLines(misses: readonly EvalMiss[], index?: BuiltGuideIndex): string[] {
  const out: string[] = [`── misses (${misses.length})`];
  for (const m of misses) {
    const expect = typeof m.expect === 'string' ? m.expect : m.expect.join('|');
    out.push(`  ${m.miss.padEnd(13)} ${JSON.stringify(m.q)} expected ${expect}, got ${m.decision} [${m.guides.join(', ')}]${m.kind ? ` (${m.kind})` : ''}`);
    if (index) out.push(explainMiss(index, m.q));
  }
  return out;
}

/** The evidence of the first three candidates for a message. */
function explainMiss(index: BuiltGuideIndex, q: string): string {
  const e = index.explain(q);
  const c = e.candidates
    .slice(0, 3)
    .map((x) => `${x.id} s=${x.score.toFixed(2)} cov=${x.coverage.toFixed(2)} focus=${x.focus.toFixed(2)} links=${x.linkHits} fz=${x.fuzzy.toFixed(2)}`)
    .join(' | ');
  return `      [${e.query.normalized}]${e.query.english ? ' (en)' : ''} ${c}`;
}
