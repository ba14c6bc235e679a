/**
 * `npm run eval -- --communes FILE [--file GUIDE_SET]`: the commune finder's score on a commune
 * set (right/total and each miss), then how many questions of the guide set (default: the
 * repo's questions.jsonl) it answers at all; those should be only real commune questions; last,
 * the finder's build time and time per question (one run on this machine: indicative, not a test).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ContentBundle } from '../core/content.ts';
import type { CommuneFinder } from '../core/communes.ts';
import { communeFires, parseCommuneJsonl, scoreCommunes } from '../search/commune-eval.ts';
import { communeFinderOf } from '../search/communes.ts';
import { parseJsonl } from '../search/eval-score.ts';

/** Prints the commune report to stdout; returns the exit code (2 on a usage error). */
export function communeReport(file: string | undefined, guideSet: string, bundle: ContentBundle): number {
  if (!file) {
    process.stderr.write('usage: eval -- --communes FILE [--file GUIDE_SET]\n');
    return 2;
  }
  const t0 = performance.now();
  const finder = communeFinderOf(bundle);
  const buildMs = performance.now() - t0;
  if (!finder) process.stderr.write('no communes.yaml in the content: every line gets no commune\n');
  const report = scoreCommunes(finder, parseCommuneJsonl(readFileSync(file, 'utf8')));
  const out = [`${file}: ${report.right}/${report.total} right`, `── misses (${report.misses.length})`];
  for (const m of report.misses) out.push(`  line ${m.line}: ${JSON.stringify(m.q)} expected [${m.expect.join(', ')}], got ${m.kind} [${m.got.join(', ')}]`);
  const questions = parseJsonl(readFileSync(guideSet, 'utf8'));
  const fires = communeFires(finder, questions.map((x) => x.q));
  out.push(`── ${guideSet}: answers ${fires.length} of ${questions.length} questions (should be only commune questions)`);
  for (const f of fires) out.push(`  ${f.kind.padEnd(8)} [${f.names.join(', ')}] ${JSON.stringify(f.q)}`);
  if (finder) out.push(speedLine(finder, buildMs, [...parseCommuneJsonl(readFileSync(file, 'utf8')).map((x) => x.q), ...questions.map((x) => x.q)]));
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

/** Build time (cold, this run) and time per question over both sets, after one warm-up pass; indicative only. */
function speedLine(finder: CommuneFinder, buildMs: number, questions: readonly string[]): string {
  for (const q of questions) finder.find(q);
  const times = questions.map((q) => {
    const t = performance.now();
    finder.find(q);
    return performance.now() - t;
  });
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
  const p99 = times[Math.min(times.length - 1, Math.floor(0.99 * times.length))] ?? 0;
  return `── speed: finder built in ${buildMs.toFixed(1)} ms; ${questions.length} questions: mean ${(mean * 1000).toFixed(0)} µs, p99 ${(p99 * 1000).toFixed(0)} µs`;
}
