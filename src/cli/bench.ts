/**
 * `npm run bench`: build time, per-query latency (p50/p99) and heap used, for this engine and
 * for plain fuse.js, side by side, on the real guides and on 5,000 synthetic guides made from
 * them. Queries: the repo's own question set. Numbers are for this machine, this run.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Guide } from '../core/guide.ts';
import type { GuideIndex } from '../core/ports.ts';
import type { ContentBundle } from '../core/content.ts';
import { parseJsonl } from '../search/eval-score.ts';
import { buildGuideIndex } from '../search/index.ts';
import { buildPlainFuseIndex } from '../search/plain-fuse.ts';
import { syntheticGuides } from '../search/synthetic.ts';
import { loadBundleOrExit } from './content-dir.ts';

const QUESTIONS = fileURLToPath(new URL('../../test/fixtures/eval/questions.jsonl', import.meta.url));
/** Synthetic guide count for the large run. */
const LARGE = 5000;
/** Timed query samples per engine and size (at least one pass over the questions). */
const SAMPLES = 3000;
/** Plain fuse.js is the slow baseline: fewer samples (tens of ms per query at 42 guides). */
const BASELINE_SAMPLES = 600;
/** Plain fuse.js at 5,000 guides takes seconds per query: few samples, no warm-up pass. */
const SLOW_SAMPLES = 15;
/** Passes over the questions before timing this engine (plain fuse.js gets one, or none at 5,000). */
const WARM_UP_PASSES = 50;
/** Index builds per engine and size: the table shows the median, and the first (cold) one. */
const BUILDS = 3;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** JS heap plus typed-array buffers (where the postings live), after a full GC. */
function heapMb(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1048576;
}

interface Row {
  readonly engine: string;
  readonly guides: number;
  /** Median of BUILDS builds. */
  readonly buildMs: number;
  /** The first build (JIT still cold). */
  readonly coldBuildMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** p99 over questions of each question's median time: what preemption by others cannot inflate. */
  readonly p99MedianMs: number;
  readonly heapMb: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function measure(
  engine: string,
  guides: readonly Guide[],
  build: () => GuideIndex,
  queries: readonly string[],
  samples: number,
  warmUpPasses = 1,
): Row {
  const before = heapMb();
  const builds: number[] = [];
  let index: GuideIndex | undefined;
  for (let b = 0; b < BUILDS; b++) {
    index = undefined;
    gc(); // each build starts from a collected heap, as at start-up
    const t0 = performance.now();
    index = build();
    builds.push(performance.now() - t0);
  }
  if (!index) throw new Error('no index built');
  const heap = heapMb() - before;
  const coldBuildMs = builds[0]!;
  const buildMs = quantile([...builds].sort((a, b) => a - b), 0.5);
  // Warm-up: lazily built parts, and the JIT's optimised code, as in a server that has run a while.
  for (let p = 0; p < warmUpPasses; p++) for (const q of queries) index.search(q);
  gc(); // start the timed run with an empty young generation
  const times: number[] = [];
  const perQuery: number[][] = queries.map(() => []);
  for (let i = 0; times.length < samples; i++) {
    const k = i % queries.length;
    const s = performance.now();
    index.search(queries[k]!);
    const t = performance.now() - s;
    times.push(t);
    perQuery[k]!.push(t);
  }
  times.sort((a, b) => a - b);
  const medians = perQuery
    .filter((t) => t.length > 0)
    .map((t) => quantile([...t].sort((a, b) => a - b), 0.5))
    .sort((a, b) => a - b);
  index = undefined;
  return {
    engine,
    guides: guides.length,
    buildMs,
    coldBuildMs,
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    p99MedianMs: quantile(medians, 0.99),
    heapMb: heap,
  };
}

function fmt(rows: readonly Row[]): string {
  const head =
    `${'engine'.padEnd(14)}${'guides'.padStart(7)}${'build ms'.padStart(11)}${'cold ms'.padStart(10)}${'p50 ms'.padStart(10)}` +
    `${'p99 ms'.padStart(10)}${'p99 med'.padStart(10)}${'heap MB'.padStart(10)}`;
  const lines = rows.map(
    (r) =>
      `${r.engine.padEnd(14)}${String(r.guides).padStart(7)}${r.buildMs.toFixed(1).padStart(11)}${r.coldBuildMs.toFixed(1).padStart(10)}` +
      `${r.p50Ms.toFixed(3).padStart(10)}${r.p99Ms.toFixed(3).padStart(10)}${r.p99MedianMs.toFixed(3).padStart(10)}` +
      `${r.heapMb.toFixed(1).padStart(10)}`,
  );
  return [head, ...lines].join('\n');
}

async function main(): Promise<number> {
  const bundle: ContentBundle = await loadBundleOrExit();
  const queries = parseJsonl(readFileSync(QUESTIONS, 'utf8')).map((x) => x.q);
  const large = syntheticGuides(bundle.guideList, LARGE);
  const rows: Row[] = [];
  for (const guides of [bundle.guideList, large]) {
    const content = { guideList: guides, synonyms: bundle.synonyms, intents: bundle.intents };
    rows.push(measure('this engine', guides, () => buildGuideIndex(content), queries, SAMPLES, WARM_UP_PASSES));
    const slow = guides.length > 1000;
    rows.push(measure('plain fuse.js', guides, () => buildPlainFuseIndex(guides), queries, slow ? SLOW_SAMPLES : BASELINE_SAMPLES, slow ? 0 : 1));
  }
  const ours = rows[2]!;
  const fuse = rows[3]!;
  const load = loadavg()[0]!.toFixed(1);
  process.stdout.write(
    `${fmt(rows)}\n\nat ${LARGE} guides this engine's p99 is ${(fuse.p99Ms / ours.p99Ms).toFixed(0)}× lower than plain fuse.js ` +
      `(${queries.length} questions; heap = JS heap + typed arrays kept by the index, after GC; build ms = median of ${BUILDS} builds, cold = the first)\n` +
      `this engine is timed after ${WARM_UP_PASSES} warm-up passes over the questions; p99 med = p99 over questions of each question's median time (${Math.round(SAMPLES / queries.length)} runs each), ` +
      `robust to preemption; load average ${load} on ${cpus().length} CPUs (on a busy machine raw p99 measures ` +
      `other processes' time slices)\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
