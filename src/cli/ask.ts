/**
 * `npm run --silent ask -- "câu hỏi"` prints one JSON line;
 * `npm run --silent ask -- --jsonl FILE` (FILE may be `-` for stdin) prints one JSON line per
 * input line, in order: {"q","decision","guides":[ids, best first, ≤3],"confidence"}.
 * Nothing else goes to stdout (warnings go to stderr).
 */
import { readFileSync } from 'node:fs';
import type { GuideIndex } from '../core/ports.ts';
import { buildGuideIndex } from '../search/index.ts';
import { loadBundleOrExit } from './content-dir.ts';

/** The contract line for one question. */
function line(index: GuideIndex, q: string): string {
  const r = index.search(q);
  return JSON.stringify({ q, decision: r.decision, guides: r.guides.slice(0, 3).map((g) => g.id), confidence: r.confidence });
}

async function main(argv: readonly string[]): Promise<number> {
  const at = argv.indexOf('--jsonl');
  const file = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && !file) {
    process.stderr.write('usage: ask -- "question" | ask -- --jsonl FILE\n');
    return 2;
  }
  const question = argv.filter((a) => a !== '--').join(' ');
  if (at < 0 && question.trim() === '') {
    process.stderr.write('usage: ask -- "question" | ask -- --jsonl FILE\n');
    return 2;
  }
  const index = buildGuideIndex(await loadBundleOrExit());
  if (!file) {
    process.stdout.write(line(index, question) + '\n');
    return 0;
  }
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  const out: string[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let q = '';
    try {
      const v = JSON.parse(raw) as { q?: unknown };
      if (typeof v.q === 'string') q = v.q;
      else process.stderr.write(`line ${i + 1}: no "q" string\n`);
    } catch {
      process.stderr.write(`line ${i + 1}: not JSON\n`);
    }
    out.push(line(index, q));
  });
  process.stdout.write(out.length ? out.join('\n') + '\n' : '');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ask: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
