/**
 * The reload phase of `npm run bench:load` (BENCH_PHASES=reload): a second app process over a
 * content directory of 5,000 guides (bench/big-content.ts: the real ones and synthetic ones, as
 * YAML files), driven at a steady 200 msg/s (BENCH_RELOAD_RATE) from the start of a reload to
 * its end (as an editor's save starts one: one guide changed, every file read and checked, the
 * index built, the snapshot swapped), then as long again without a reload, in rounds
 * (BENCH_RELOAD_ROUNDS). The reply p99 of the two kinds of window, per round and over all rounds.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startAppProcess } from './app-process.ts';
import { makeBigContent } from './big-content.ts';
import { paced, percentile } from './drivers.ts';
import { measurePhase, type BenchContext } from './measure.ts';
import { fmt, out } from './report.ts';

/** Guides in the reloaded content. */
const GUIDES = Number(process.env.BENCH_RELOAD_GUIDES ?? 5000);

/** Rounds of the phase (BENCH_RELOAD_ROUNDS, default 3): one round's p99 rests on a few hundred replies. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_RELOAD_ROUNDS ?? 3));

/** The phase: its own app process over the large content, then removed. */
export async function runReload(ctx: BenchContext, apiRoot: string): Promise<void> {
  const rate = Number(process.env.BENCH_RELOAD_RATE ?? 200);
  const dir = await makeBigContent(GUIDES);
  const app = await startAppProcess({ redisUrl: ctx.redisUrl, keyPrefix: `${ctx.keyPrefix}reload:`, apiRoot, contentDir: dir });
  try {
    const big: BenchContext = { ...ctx, app };
    await measurePhase(big, () => paced(app, ctx.tracker, rate, 5)); // warm-up
    out(`reload at ${GUIDES} guides under ${rate} msg/s (open loop), ${ROUNDS} rounds: an editor's save (one guide changed), the reload it starts with the load on (every file read and checked, the index built, the snapshot swapped), then as long again without one`);
    const during: number[] = [];
    const quiet: number[] = [];
    const shifts: number[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      await editOneGuide(dir, r);
      // Under load: the sender runs from the start of a reload to its end, then as long again quiet.
      const t0 = performance.now();
      const reload = app.reload();
      const busy = await measurePhase(big, () => paced(app, ctx.tracker, rate, 600, 'webhook', reload));
      const { ok, ms, loop } = await reload;
      if (!ok) throw new Error('the large content did not reload');
      const seconds = Math.max(5, Math.round((performance.now() - t0) / 1000));
      const calm = await measurePhase(big, () => paced(app, ctx.tracker, rate, seconds));
      during.push(...busy.e2e.latencies);
      quiet.push(...calm.e2e.latencies);
      shifts.push(busy.e2e.p99 - calm.e2e.p99);
      out(` round ${r}: reload ${fmt(ms / 1000)} s, ${busy.e2e.answered}/${busy.e2e.accepted} answered, p50 ${fmt(busy.e2e.p50)} ms, p99 ${fmt(busy.e2e.p99)} ms (the app's event-loop delay p99 ${fmt(loop.p99)} ms, max ${fmt(loop.max)} ms); quiet ${seconds} s: ${calm.e2e.answered}/${calm.e2e.accepted} answered, p50 ${fmt(calm.e2e.p50)} ms, p99 ${fmt(calm.e2e.p99)} ms; p99 moved by ${fmt(shifts.at(-1)!)} ms`);
    }
    during.sort((a, b) => a - b);
    quiet.sort((a, b) => a - b);
    const shift = percentile(during, 99) - percentile(quiet, 99);
    const median = [...shifts].sort((a, b) => a - b)[Math.floor((shifts.length - 1) / 2)]!;
    out(`  all rounds: during ${during.length} replies, p99 ${fmt(percentile(during, 99))} ms; quiet ${quiet.length}, p99 ${fmt(percentile(quiet, 99))} ms`);
    out(`  p99 moved by ${fmt(shift)} ms over all rounds, ${fmt(median)} ms in the median round  [target ≤ 20 ms: ${shift <= 20 ? 'met' : 'MISSED'}]`);
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Adds a keyword to the first synthetic guide (`n`: the round), as an editor's save would change one file. */
async function editOneGuide(dir: string, n: number): Promise<void> {
  const synthetic = join(dir, 'guides', 'synthetic');
  const name = (await readdir(synthetic)).sort()[0];
  if (!name) return;
  const file = join(synthetic, name);
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/^keywords:\n/m, `keywords:\n  - từ khóa vừa thêm ${n}\n`));
}
