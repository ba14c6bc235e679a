/**
 * `npm run --silent ask -- "câu hỏi"` prints one JSON line;
 * `npm run --silent ask -- --jsonl FILE` (FILE may be `-` for stdin) prints one JSON line per
 * input line, in order: {"q","decision","guides":[ids, best first, ≤3],"confidence","communes":[names]}.
 * `communes`: the new unit name(s) a commune answer would give (one = answered, several = the bot
 * asks which, empty = not a commune question or outside Cần Thơ).
 * Nothing else goes to stdout (warnings go to stderr).
 */
import { readFileSync } from 'node:fs';
import { communeNames, type CommuneFinder } from '../core/communes.ts';
import type { GuideIndex } from '../core/ports.ts';
import { communeFinderOf } from '../search/communes.ts';
import { buildGuideIndex } from '../search/index.ts';
import { loadBundleOrExit } from './content-dir.ts';

/** The contract line for one question. */
function askLine(index: GuideIndex, communes: CommuneFinder | undefined, q: string): string {
  const r = index.search(q);
  const names = communes ? communeNames(communes.find(q)) : [];
  return JSON.stringify({ q, decision: r.decision, guides: r.guides.slice(0, 3).map((g) => g.id), confidence: r.confidence, communes: names });
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
  const bundle = await loadBundleOrExit();
  const index = buildGuideIndex(bundle);
  const communes = communeFinderOf(bundle);
  const line = (q: string) => askLine(index, communes, q);
  if (!file) {
    process.stdout.write(line(question) + '\n');
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
    out.push(line(q));
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
