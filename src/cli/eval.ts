/**
 * `npm run eval [-- --file F] [--baseline] [--explain] [--json]`: scores the index on a question
 * set (default: the repo's own test/fixtures/eval/questions.jsonl) and prints top-1/top-3
 * accuracy, answered right, wrong answers, out-of-scope declined, intents recognised, a table per
 * kind of speech when the lines carry `"kind"`, and the misses. `--baseline` scores plain fuse.js
 * on the same set too; `--explain` shows each miss's evidence.
 * `npm run eval -- --conversations F` scores a set of whole conversations instead.
 * `npm run eval -- --communes FILE`: scores the commune finder on a commune set instead (see
 * src/search/commune-eval.ts) and counts the guide questions (`--file`) it wrongly answers at all.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GuideIndex } from '../core/ports.ts';
import { parseJsonl, scoreByKind, scoreEval, type EvalItem, type EvalOutcome } from '../search/eval-score.ts';
import { buildGuideIndex } from '../search/index.ts';
import { buildPlainFuseIndex } from '../search/plain-fuse.ts';
import { loadBundleOrExit } from './content-dir.ts';
import { communeReport } from './eval-communes.ts';
import { conversationReport, parseConversations, scoreConversations } from './eval-conversations.ts';
import { kindTable, missLines, summary } from './eval-print.ts';

const DEFAULT_SET = fileURLToPath(new URL('../../test/fixtures/eval/questions.jsonl', import.meta.url));

/** Runs every line through an index. */
export function runSet(index: GuideIndex, items: readonly EvalItem[]): EvalOutcome[] {
  return items.map((it) => {
    const r = index.search(it.q);
    return { q: it.q, expect: it.expect ?? '@none', decision: r.decision, guides: r.guides.map((g) => g.id), ...(it.kind ? { kind: it.kind } : {}) };
  });
}

/** The value after a flag, or undefined. */
function flag(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function conversations(file: string, json: boolean): Promise<number> {
  const bundle = await loadBundleOrExit();
  const snapshot = { content: bundle, index: buildGuideIndex(bundle), loadedAtMs: Date.now(), version: 'eval' };
  const score = await scoreConversations(snapshot, parseConversations(readFileSync(file, 'utf8')));
  process.stdout.write((json ? JSON.stringify(score) : conversationReport(file, score)) + '\n');
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const convFile = flag(argv, '--conversations');
  if (argv.includes('--conversations')) {
    if (!convFile) return usage();
    return conversations(convFile, argv.includes('--json'));
  }
  const file = argv.includes('--file') ? flag(argv, '--file') : DEFAULT_SET;
  if (!file) return usage();
  const communesAt = argv.indexOf('--communes');
  if (communesAt >= 0) return communeReport(argv[communesAt + 1], file, await loadBundleOrExit());
  const items = parseJsonl(readFileSync(file, 'utf8'));
  const bundle = await loadBundleOrExit();
  const index = buildGuideIndex(bundle);
  const outcomes = runSet(index, items);
  const report = scoreEval(outcomes);
  const byKind = scoreByKind(outcomes);
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify(byKind.size > 0 ? { ...report, byKind: Object.fromEntries(byKind) } : report) + '\n');
    return 0;
  }
  const out: string[] = [`${file}: ${items.length} questions, ${bundle.guideList.length} guides`, summary('this engine', report)];
  if (byKind.size > 0) out.push(kindTable(byKind));
  if (argv.includes('--baseline')) out.push(summary('plain fuse.js', scoreEval(runSet(buildPlainFuseIndex(bundle.guideList), items))));
  out.push(...missLines(report.misses, argv.includes('--explain') ? index : undefined));
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

function usage(): number {
  process.stderr.write('usage: eval -- [--file F] [--baseline] [--explain] [--json] | eval -- --conversations F [--json]\n');
  return 2;
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
