/**
 * The maximum phase of `npm run bench:load`, in rounds: per round, the app, the telegraf peer
 * (bench/peer.ts), the I/O skeleton and the bare endpoint, each driven by autocannon in turn
 * (never two at once), and the ratios project/peer and app/skeleton. The summary gives each
 * ratio's minimum, median and maximum over the rounds: the machine's speed drifts within a run,
 * and one round's ratio says little alone.
 */
import type { AppProcess } from './app-process.ts';
import { cannon } from './drivers.ts';
import { measurePhase, type BenchContext, type PhaseResult } from './measure.ts';
import { CONNECTIONS, SECONDS } from './options.ts';
import { cpuLine, e2eLine, fmt, httpLine, out } from './report.ts';

/** Rounds of the maximum phase (BENCH_ROUNDS, default 3). */
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

/** One round's rates, msg/s (bare: req/s). */
interface Round {
  readonly app: number;
  readonly peer: number;
  readonly skeleton: number;
  readonly bare: number;
}

/** min / median / max of `values`. */
function spread(values: readonly number[], digits: number): string {
  const s = [...values].sort((a, b) => a - b);
  return `${fmt(s[0]!, digits)} / ${fmt(s[Math.floor((s.length - 1) / 2)]!, digits)} / ${fmt(s[s.length - 1]!, digits)}`;
}

/** One target at its maximum, closed loop; its report lines. */
async function atMax(ctx: BenchContext, name: string, kind: 'webhook' | 'skeleton'): Promise<PhaseResult> {
  const result = await measurePhase(ctx, () => cannon(ctx.app, ctx.tracker, kind, { seconds: SECONDS, connections: CONNECTIONS }));
  out(`  ${name.padEnd(9)} ${fmt(result.e2e.perSecond, 0)} msg/s end to end; ${e2eLine(result)}`);
  out(`            webhook HTTP: ${httpLine(result.http)}; ${cpuLine(result)}`);
  return result;
}

/**
 * The rounds; returns the app's median msg/s end to end (the maximum the later phases scale
 * from). `peer` is the telegraf peer's process.
 */
export async function runMaxRounds(ctx: BenchContext, peer: AppProcess): Promise<number> {
  const rounds: Round[] = [];
  out(`maximum (autocannon, ${CONNECTIONS} connections, closed loop), ${SECONDS} s per target, ${ROUNDS} rounds`);
  for (let r = 1; r <= ROUNDS; r++) {
    out(` round ${r}`);
    const app = await atMax(ctx, 'app', 'webhook');
    const peerResult = await atMax({ ...ctx, app: peer }, 'peer', 'webhook');
    const skeleton = await atMax(ctx, 'skeleton', 'skeleton');
    const bare = await cannon(ctx.app, ctx.tracker, 'bare', { seconds: SECONDS, connections: CONNECTIONS });
    out(`  bare      ${httpLine(bare)}`);
    const round = { app: app.e2e.perSecond, peer: peerResult.e2e.perSecond, skeleton: skeleton.e2e.perSecond, bare: bare.perSecond };
    rounds.push(round);
    out(`  ratios    project/peer ${fmt(round.app / round.peer, 2)}, app/skeleton ${fmt(round.app / round.skeleton, 2)}, app/bare ${fmt(round.app / round.bare, 2)}`);
  }
  out(`summary over ${ROUNDS} rounds (min / median / max)`);
  out(`  app ${spread(rounds.map((x) => x.app), 0)} msg/s; peer ${spread(rounds.map((x) => x.peer), 0)}; skeleton ${spread(rounds.map((x) => x.skeleton), 0)}; bare ${spread(rounds.map((x) => x.bare), 0)} req/s`);
  out(`  project/peer ${spread(rounds.map((x) => x.app / x.peer), 2)}  [target ≥ 2 in the median]`);
  out(`  app/skeleton ${spread(rounds.map((x) => x.app / x.skeleton), 2)}  [target ≥ 0.6]`);
  const apps = rounds.map((x) => x.app).sort((a, b) => a - b);
  return apps[Math.floor((apps.length - 1) / 2)]!;
}
