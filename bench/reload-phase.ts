/**
 * The reload phase of `npm run bench:load` (BENCH_PHASES=reload): a second app process over a
 * content directory of 5,000 guides (bench/big-content.ts: the real ones and synthetic ones, as
 * YAML files), driven at a steady 200 msg/s (BENCH_RELOAD_RATE) from the start of a reload to
 * its end (as an editor's save starts one: one guide changed, every file read and checked, the
 * index built, the snapshot swapped), then as long again without a reload. The reply p99 of the
 * two windows.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startAppProcess } from './app-process.ts';
import { makeBigContent } from './big-content.ts';
import { paced } from './drivers.ts';
import { measurePhase, type BenchContext } from './measure.ts';
import { fmt, out } from './report.ts';

/** Guides in the reloaded content. */
const GUIDES = Number(process.env.BENCH_RELOAD_GUIDES ?? 5000);

/** The phase: its own app process over the large content, then removed. */
export async function runReload(ctx: BenchContext, apiRoot: string): Promise<void> {
  const rate = Number(process.env.BENCH_RELOAD_RATE ?? 200);
  const dir = await makeBigContent(GUIDES);
  const app = await startAppProcess({ redisUrl: ctx.redisUrl, keyPrefix: `${ctx.keyPrefix}reload:`, apiRoot, contentDir: dir });
  try {
    const big: BenchContext = { ...ctx, app };
    await measurePhase(big, () => paced(app, ctx.tracker, rate, 5)); // warm-up
    // An editor's save: one guide changed (a keyword added), then the reload it starts.
    await editOneGuide(dir);
    // Under load: the sender runs from the start of a reload to its end, then as long again quiet.
    const t0 = performance.now();
    const reload = app.reload();
    const during = await measurePhase(big, () => paced(app, ctx.tracker, rate, 600, 'webhook', reload));
    const { ok, ms, loop } = await reload;
    if (!ok) throw new Error('the large content did not reload');
    const seconds = Math.max(5, Math.round((performance.now() - t0) / 1000));
    const quiet = await measurePhase(big, () => paced(app, ctx.tracker, rate, seconds));
    out(`reload at ${GUIDES} guides under ${rate} msg/s (open loop): one reload of ${fmt(ms / 1000)} s (every file read and checked, the index built, the snapshot swapped) with the load on, then ${seconds} s quiet`);
    out(`  during the reload: ${during.e2e.answered}/${during.e2e.accepted} answered, p50 ${fmt(during.e2e.p50)} ms, p99 ${fmt(during.e2e.p99)} ms; the app's event-loop delay p99 ${fmt(loop.p99)} ms, max ${fmt(loop.max)} ms`);
    out(`  quiet:             ${quiet.e2e.answered}/${quiet.e2e.accepted} answered, p50 ${fmt(quiet.e2e.p50)} ms, p99 ${fmt(quiet.e2e.p99)} ms`);
    const shift = during.e2e.p99 - quiet.e2e.p99;
    out(`  p99 moved by ${fmt(shift)} ms  [target ≤ 20 ms: ${shift <= 20 ? 'met' : 'MISSED'}]`);
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Adds a keyword to the first synthetic guide, as an editor's save would change one file. */
async function editOneGuide(dir: string): Promise<void> {
  const synthetic = join(dir, 'guides', 'synthetic');
  const name = (await readdir(synthetic)).sort()[0];
  if (!name) return;
  const file = join(synthetic, name);
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/^keywords:\n/m, 'keywords:\n  - từ khóa vừa thêm\n'));
}
