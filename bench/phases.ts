/**
 * The benchmark's load phases, each printing its report: warm-up (not measured), steady
 * 500 msg/s, maximum (with the bare endpoint and the I/O skeleton), and sustained.
 */
import { cannon, paced } from './drivers.ts';
import { measurePhase, type BenchContext } from './measure.ts';
import { SECONDS } from './options.ts';
import { cpuLine, e2eLine, httpLine, out } from './report.ts';

/**
 * Warm-up (not measured): the JIT's optimised code, connection pools, Lua scripts loaded. A server
 * runs for days; a few hundred messages leave the search and the engine half-optimised.
 */
export async function warmUp(ctx: BenchContext, bare = true): Promise<void> {
  await measurePhase(ctx, () => cannon(ctx.app, ctx.tracker, 'webhook', { seconds: 5, connections: 8 }));
  if (bare) await cannon(ctx.app, ctx.tracker, 'bare', { seconds: 3, connections: 8 });
}

/** Steady 500 msg/s, open loop, then the I/O skeleton at the same rate for reference. */
export async function runSteady(ctx: BenchContext): Promise<void> {
  const steady = await measurePhase(ctx, () => paced(ctx.app, ctx.tracker, 500, SECONDS));
  out(`steady 500 msg/s (open loop, evenly spaced), ${SECONDS} s`);
  out(`  webhook HTTP:     ${httpLine(steady.http)}`);
  out(`  reply end to end: ${e2eLine(steady)}  [target p99 ≤ 50 ms: ${steady.e2e.p99 <= 50 && steady.e2e.answered === steady.http.sent ? 'met' : 'MISSED'}]`);
  out(`  app CPU:          ${cpuLine(steady)}`);
  const skeleton = await measurePhase(ctx, () => paced(ctx.app, ctx.tracker, 500, SECONDS, 'skeleton'));
  out(`  I/O skeleton at 500 msg/s, for reference (no app code): ${e2eLine(skeleton)}; ${cpuLine(skeleton)}`);
}

/** Sustained, open loop at 60 % of `maxPerSecond` (BENCH_SUSTAIN_RATE overrides; 300 without a maximum). */
export async function runSustained(ctx: BenchContext, maxPerSecond: number): Promise<void> {
  const sustainRate = Number(process.env.BENCH_SUSTAIN_RATE) || (Number.isFinite(maxPerSecond) ? Math.max(10, Math.round((0.6 * maxPerSecond) / 10) * 10) : 300);
  const sustained = await measurePhase(ctx, () => paced(ctx.app, ctx.tracker, sustainRate, SECONDS));
  out(`sustained ${sustainRate} msg/s (open loop; default 60 % of the maximum; BENCH_SUSTAIN_RATE), ${SECONDS} s`);
  out(`  webhook HTTP:     ${httpLine(sustained.http)}`);
  out(`  reply end to end: ${e2eLine(sustained)}`);
  out(`  app CPU:          ${cpuLine(sustained)}`);
}
