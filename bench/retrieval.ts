/**
 * `npm run bench`: retrieval speed and memory of this engine against MiniSearch with accent
 * folding (bench/minisearch-peer.ts: what a Node developer would use instead), on the real
 * guides and on 5,000 synthetic guides made from them, and against plain fuse.js at the real
 * guides only (it takes tens of ms per query there and seconds at 5,000). Queries: the repo's
 * own question set. Finishes in about a minute on the 2-core development VM (the time is printed).
 *
 * Per engine and size: the median and the first (cold) of 3 index builds, p50 and p99 per
 * query after a warm-up (a server runs hot), the p99 of each question's median time (what
 * preemption by other processes cannot inflate), and the heap the index keeps (JS heap plus
 * typed arrays, after a full GC).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Guide } from '../src/core/guide.ts';
import type { GuideIndex } from '../src/core/ports.ts';
import { loadContent } from '../src/content/load.ts';
import { buildGuideIndex } from '../src/search/index.ts';
import { buildPlainFuseIndex } from '../src/search/plain-fuse.ts';
import { syntheticGuides } from '../src/search/synthetic.ts';
import { CONTENT_DIR } from './big-content.ts';
import { buildMiniSearchIndex } from './minisearch-peer.ts';

const QUESTIONS = readFileSync(new URL('../test/fixtures/eval/questions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { q: string }).q);
/** Synthetic guide count for the large run. */
const LARGE = 5000;
/** Index builds per engine and size. */
const BUILDS = 3;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** JS heap plus typed-array buffers, after a full GC, MB. */
function heapMb(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1048576;
}

/** How much querying an engine gets: warm-up queries, then timed samples (or until `maxMs`). */
interface Budget {
  /** Index builds (default BUILDS). */
  readonly builds?: number;
  readonly warmUp: number;
  readonly samples: number;
  readonly maxMs: number;
}

interface Row {
  readonly engine: string;
  readonly guides: number;
  readonly buildMs: number;
  readonly coldBuildMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p99MedianMs: number;
  readonly heapMb: number;
  readonly samples: number;
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Builds `BUILDS` times, warms up, then times queries within the budget. */
function measure(engine: string, guides: readonly Guide[], build: () => GuideIndex, budget: Budget): Row {
  const before = heapMb();
  const builds: number[] = [];
  let index: GuideIndex | undefined;
  for (let b = 0; b < (budget.builds ?? BUILDS); b++) {
    index = undefined;
    gc();
    const t0 = performance.now();
    index = build();
    builds.push(performance.now() - t0);
  }
  if (!index) throw new Error('no index built');
  const heap = heapMb() - before;
  for (let i = 0; i < budget.warmUp; i++) index.search(QUESTIONS[i % QUESTIONS.length]!);
  gc();
  const times: number[] = [];
  const perQuery: number[][] = QUESTIONS.map(() => []);
  const deadline = performance.now() + budget.maxMs;
  for (let i = 0; times.length < budget.samples && performance.now() < deadline; i++) {
    const k = i % QUESTIONS.length;
    const s = performance.now();
    index.search(QUESTIONS[k]!);
    const t = performance.now() - s;
    times.push(t);
    perQuery[k]!.push(t);
  }
  times.sort((a, b) => a - b);
  const medians = perQuery
    .filter((t) => t.length > 0)
    .map((t) => quantile([...t].sort((a, b) => a - b), 0.5))
    .sort((a, b) => a - b);
  return {
    engine,
    guides: guides.length,
    buildMs: quantile([...builds].sort((a, b) => a - b), 0.5),
    coldBuildMs: builds[0]!,
    p50Ms: quantile(times, 0.5),
    p99Ms: quantile(times, 0.99),
    p99MedianMs: quantile(medians, 0.99),
    heapMb: heap,
    samples: times.length,
  };
}

function table(rows: readonly Row[]): string {
  const cols: [string, number, (r: Row) => string][] = [
    ['engine', 16, (r) => r.engine],
    ['guides', 7, (r) => String(r.guides)],
    ['build ms', 10, (r) => r.buildMs.toFixed(0)],
    ['cold ms', 9, (r) => r.coldBuildMs.toFixed(0)],
    ['p50 ms', 9, (r) => r.p50Ms.toFixed(3)],
    ['p99 ms', 9, (r) => r.p99Ms.toFixed(3)],
    ['p99 med', 9, (r) => r.p99MedianMs.toFixed(3)],
    ['heap MB', 9, (r) => r.heapMb.toFixed(1)],
    ['queries', 9, (r) => String(r.samples)],
  ];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(cols[i]![1]) : c.padStart(cols[i]![1]))).join('');
  return [line(cols.map((c) => c[0])), ...rows.map((r) => line(cols.map((c) => c[2](r))))].join('\n');
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;

async function main(): Promise<void> {
  const started = performance.now();
  const load = loadavg()[0]!;
  const bundle = (await loadContent(CONTENT_DIR)).bundle;
  if (!bundle) throw new Error(`${CONTENT_DIR} does not load: run npm run content:check`);
  const ours = (guides: readonly Guide[]) => () => buildGuideIndex({ guideList: guides, synonyms: bundle.synonyms, intents: bundle.intents });
  const real = bundle.guideList;
  const large = syntheticGuides(real, LARGE);
  const rows: Row[] = [
    measure('this engine', real, ours(real), { warmUp: 20 * QUESTIONS.length, samples: 4 * QUESTIONS.length, maxMs: 10_000 }),
    measure('MiniSearch', real, () => buildMiniSearchIndex(real), { warmUp: 5 * QUESTIONS.length, samples: 4 * QUESTIONS.length, maxMs: 10_000 }),
    measure('plain fuse.js', real, () => buildPlainFuseIndex(real), { warmUp: 100, samples: 400, maxMs: 10_000 }),
    measure('this engine', large, ours(large), { warmUp: 10 * QUESTIONS.length, samples: 3 * QUESTIONS.length, maxMs: 10_000 }),
    // Its build takes seconds here: one (cold) build.
    measure('MiniSearch', large, () => buildMiniSearchIndex(large), { builds: 1, warmUp: 100, samples: 2 * QUESTIONS.length, maxMs: 15_000 }),
  ];
  const [o42, m42, f42, o5k, m5k] = rows as [Row, Row, Row, Row, Row];
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(table(rows));
  out('');
  out(`at ${real.length} guides this engine vs MiniSearch: p50 ${ratio(m42.p50Ms, o42.p50Ms)} faster, p99 ${ratio(m42.p99Ms, o42.p99Ms)}; vs plain fuse.js: p50 ${ratio(f42.p50Ms, o42.p50Ms)}`);
  out(`at ${LARGE} guides this engine vs MiniSearch: p50 ${ratio(m5k.p50Ms, o5k.p50Ms)} faster, p99 ${ratio(m5k.p99Ms, o5k.p99Ms)}, heap ${o5k.heapMb.toFixed(0)} MB against ${m5k.heapMb.toFixed(0)} MB, build ${o5k.buildMs.toFixed(0)} ms against ${m5k.buildMs.toFixed(0)} ms`);
  out(
    `${QUESTIONS.length} questions; MiniSearch with accent folding, fuzzy 0.2 and prefix on words of 5+ letters, the engine's fields and weights; build ms = median of ${BUILDS} builds (MiniSearch at ${LARGE}: one), cold = the first; ` +
      `p99 med = p99 over questions of each question's median time (robust to preemption); queries = timed queries (after a warm-up)`,
  );
  out(`load average ${load.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end, on ${cpus().length} CPUs; the whole run took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
