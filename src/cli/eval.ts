/**
 * `npm run eval [-- --file F] [--baseline] [--explain] [--json]`: scores the index on a question
 * set (default: the repo's own test/fixtures/eval/questions.jsonl) and prints top-1/top-3
 * accuracy, answered right, wrong answers, out-of-scope declined, intents recognised, misses.
 * `--baseline` scores plain fuse.js on the same set too; `--explain` shows each miss's evidence.
 * `npm run eval -- --communes FILE`: scores the commune finder on a commune set instead (see
 * src/search/commune-eval.ts) and counts the guide questions (`--file`) it wrongly answers at all.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GuideIndex } from '../core/ports.ts';
import { parseJsonl, scoreEval, type EvalOutcome, type EvalReport, type Share } from '../search/eval-score.ts';
import { buildGuideIndex, type BuiltGuideIndex } from '../search/index.ts';
import { buildPlainFuseIndex } from '../search/plain-fuse.ts';
import { loadBundleOrExit } from './content-dir.ts';
import { communeReport } from './eval-communes.ts';

const DEFAULT_SET = fileURLToPath(new URL('../../test/fixtures/eval/questions.jsonl', import.meta.url));

function run(index: GuideIndex, items: readonly { q: string; expect?: string }[]): EvalOutcome[] {
  return items.map((it) => {
    const r = index.search(it.q);
    return { q: it.q, expect: it.expect ?? '@none', decision: r.decision, guides: r.guides.map((g) => g.id) };
  });
}

function pct(s: Share): string {
  return `${(s.ratio * 100).toFixed(1).padStart(5)} %  (${s.count}/${s.total})`;
}

function summary(name: string, r: EvalReport): string {
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

function explainMiss(index: BuiltGuideIndex, q: string): string {
  const e = index.explain(q);
  const c = e.candidates
    .slice(0, 3)
    .map(
      (x) =>
        `${x.id} s=${x.score.toFixed(2)} cov=${x.coverage.toFixed(2)} focus=${x.focus.toFixed(2)} ` +
        `links=${x.linkHits} fz=${x.fuzzy.toFixed(2)}`,
    )
    .join(' | ');
  return `      [${e.query.normalized}]${e.query.english ? ' (en)' : ''} ${c}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const fileAt = argv.indexOf('--file');
  const file = fileAt >= 0 ? argv[fileAt + 1] : DEFAULT_SET;
  if (!file) {
    process.stderr.write('usage: eval -- [--file F] [--baseline] [--explain] [--json]\n');
    return 2;
  }
  const communesAt = argv.indexOf('--communes');
  if (communesAt >= 0) return communeReport(argv[communesAt + 1], file, await loadBundleOrExit());
  const items = parseJsonl(readFileSync(file, 'utf8'));
  const bundle = await loadBundleOrExit();
  const index = buildGuideIndex(bundle);
  const report = scoreEval(run(index, items));
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  }
  const out: string[] = [`${file}: ${items.length} questions, ${bundle.guideList.length} guides`, summary('this engine', report)];
  if (argv.includes('--baseline')) {
    out.push(summary('plain fuse.js', scoreEval(run(buildPlainFuseIndex(bundle.guideList), items))));
  }
  out.push(`── misses (${report.misses.length})`);
  for (const m of report.misses) {
    out.push(`  ${m.kind.padEnd(13)} ${JSON.stringify(m.q)} expected ${m.expect}, got ${m.decision} [${m.guides.join(', ')}]`);
    if (argv.includes('--explain')) out.push(explainMiss(index, m.q));
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`eval: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
