/**
 * `npm run eval -- --communes FILE [--file GUIDE_SET]`: the commune finder's score on a commune
 * set (right/total and each miss), then how many questions of the guide set (default: the
 * repo's questions.jsonl) it answers at all; those should be only real commune questions.
 */
import { readFileSync } from 'node:fs';
import type { ContentBundle } from '../core/content.ts';
import { communeFires, parseCommuneJsonl, scoreCommunes } from '../search/commune-eval.ts';
import { communeFinderOf } from '../search/communes.ts';
import { parseJsonl } from '../search/eval-score.ts';

/** Prints the commune report to stdout; returns the exit code (2 on a usage error). */
export function communeReport(file: string | undefined, guideSet: string, bundle: ContentBundle): number {
  if (!file) {
    process.stderr.write('usage: eval -- --communes FILE [--file GUIDE_SET]\n');
    return 2;
  }
  const finder = communeFinderOf(bundle);
  if (!finder) process.stderr.write('no communes.yaml in the content: every line gets no commune\n');
  const report = scoreCommunes(finder, parseCommuneJsonl(readFileSync(file, 'utf8')));
  const out = [`${file}: ${report.right}/${report.total} right`, `── misses (${report.misses.length})`];
  for (const m of report.misses) out.push(`  line ${m.line}: ${JSON.stringify(m.q)} expected [${m.expect.join(', ')}], got ${m.kind} [${m.got.join(', ')}]`);
  const questions = parseJsonl(readFileSync(guideSet, 'utf8'));
  const fires = communeFires(finder, questions.map((x) => x.q));
  out.push(`── ${guideSet}: answers ${fires.length} of ${questions.length} questions (should be only commune questions)`);
  for (const f of fires) out.push(`  ${f.kind.padEnd(8)} [${f.names.join(', ')}] ${JSON.stringify(f.q)}`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
