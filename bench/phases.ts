/**
 * The benchmark's load phases, each printing its report: warm-up (not measured), steady
 * 500 msg/s, maximum (with the bare endpoint and the I/O skeleton), and sustained.
 */
import { cannon, paced } from './drivers.ts';
import { measurePhase, type BenchContext } from './measure.ts';
import { CONNECTIONS, SECONDS } from './options.ts';
import { cpuLine, e2eLine, fmt, httpLine, out } from './report.ts';

/**
 * Warm-up (not measured): the JIT's optimised code, connection pools, Lua scripts loaded. A server
 * runs for days; a few hundred messages leave the search and the engine half-optimised.
 */
export async function warmUp(ctx: BenchContext): Promise<void> {
  await measurePhase(ctx, () => cannon(ctx.app, ctx.tracker, 'webhook', { seconds: 5, connections: 8 }));
  await cannon(ctx.app, ctx.tracker, 'bare', { seconds: 3, connections: 8 });
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

/** Maximum, closed loop: the webhook, the bare endpoint and the I/O skeleton. Returns the webhook's msg/s end to end. */
export async function runMax(ctx: BenchContext): Promise<number> {
  const opts = { seconds: SECONDS, connections: CONNECTIONS };
  const max = await measurePhase(ctx, () => cannon(ctx.app, ctx.tracker, 'webhook', opts));
  const bare = await cannon(ctx.app, ctx.tracker, 'bare', opts);
  const ratio = max.e2e.perSecond / bare.perSecond;
  out(`maximum (autocannon, ${CONNECTIONS} connections, closed loop), ${SECONDS} s`);
  out(`  webhook HTTP:     ${httpLine(max.http)}`);
  out(`  reply end to end: ${e2eLine(max)}`);
  out(`  messages handled: ${fmt(max.e2e.perSecond, 0)} msg/s end to end (answered / time to the last reply)`);
  out(`  app CPU:          ${cpuLine(max)}`);
  out(`  bare endpoint:    ${httpLine(bare)}`);
  out(`  ratio to bare:    ${fmt(ratio, 2)} (messages handled end to end), ${fmt(max.http.perSecond / bare.perSecond, 2)} (webhook 2xx answers)  [target ≥ 0.35: ${ratio >= 0.35 ? 'met' : 'MISSED'}]`);
  const skeletonMax = await measurePhase(ctx, () => cannon(ctx.app, ctx.tracker, 'skeleton', opts));
  out(`  I/O skeleton:     ${fmt(skeletonMax.e2e.perSecond, 0)} msg/s end to end, ratio ${fmt(skeletonMax.e2e.perSecond / bare.perSecond, 2)} (same process; webhook answered, Lua, sendMessage, Lua; no app): the ceiling of the ratio; the app reaches ${fmt((100 * max.e2e.perSecond) / skeletonMax.e2e.perSecond, 0)} % of it`);
  out(`                    ${cpuLine(skeletonMax)}`);
  return max.e2e.perSecond;
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
