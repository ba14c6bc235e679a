/**
 * Measuring one phase: drive load, wait until every accepted message got its reply, then read
 * the end-to-end latencies and the app's CPU and event loop time per message.
 */
import { performance } from 'node:perf_hooks';
import type { AppProcess, CpuReading } from './app-process.ts';
import { percentile, type HttpStats } from './drivers.ts';
import { sleep } from './options.ts';
import type { MessageTracker } from './tracker.ts';

/** What the phases share: the app process, the message tracker and where Redis is. */
export interface BenchContext {
  readonly app: AppProcess;
  readonly tracker: MessageTracker;
  readonly redisUrl: string;
  /** The app's REDIS_KEY_PREFIX for this run. */
  readonly keyPrefix: string;
}

/** End-to-end side of a phase: replies reaching the fake Bot API, and the app's cost per message. */
export interface E2eStats {
  readonly accepted: number;
  readonly answered: number;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly cpuMsPerMessage: number;
  readonly loopMsPerMessage: number;
  readonly loopBusy: number;
  readonly sendMessageCalls: number;
  /** Every answered message's reply latency, ms, sorted (phases pool them over rounds). */
  readonly latencies: readonly number[];
}

/** Both sides of a phase. */
export interface PhaseResult {
  readonly http: HttpStats;
  readonly e2e: E2eStats;
}

/** Runs `drive` from now, then settles; returns both sides. */
export async function measurePhase(ctx: BenchContext, drive: () => Promise<HttpStats>): Promise<PhaseResult> {
  const cpu0 = await ctx.app.cpu();
  const t0 = performance.now();
  const http = await drive();
  return { http, e2e: await settle(ctx, t0, cpu0) };
}

/**
 * Waits until every accepted message got its first reply (or `timeoutMs`); returns end-to-end
 * stats and the app's CPU per handled message since `atStart`, then forgets the phase's messages.
 */
async function settle(ctx: BenchContext, startedAt: number, atStart: CpuReading, timeoutMs = 120_000): Promise<E2eStats> {
  const { tracker } = ctx;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && tracker.waitingForReplies()) await sleep(50);
  await sleep(100); // replies still on their way (second messages) belong to this phase's CPU
  const atEnd = await ctx.app.cpu();
  const stats = e2eStats(tracker, startedAt, atStart, atEnd);
  tracker.reset();
  return stats;
}

/** The phase's reply latencies, rate and cost per message from the tracker and two CPU readings. */
function e2eStats(tracker: MessageTracker, startedAt: number, atStart: CpuReading, atEnd: CpuReading): E2eStats {
  const { accepted, firstReplyAt, sentAt } = tracker;
  const cpuMs = atEnd.cpuMs - atStart.cpuMs;
  const busyMs = atEnd.elu.active - atStart.elu.active;
  const loopBusy = busyMs / (busyMs + atEnd.elu.idle - atStart.elu.idle);
  const latencies = [...accepted].filter((c) => firstReplyAt.has(c)).map((c) => firstReplyAt.get(c)! - sentAt.get(c)!).sort((a, b) => a - b);
  // A loop, not Math.max(...): a long phase answers more messages than the call stack holds arguments.
  let last = 0;
  for (const c of accepted) last = Math.max(last, firstReplyAt.get(c) ?? 0);
  return {
    accepted: accepted.size,
    answered: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: latencies.length / ((last - startedAt) / 1000),
    cpuMsPerMessage: cpuMs / Math.max(1, latencies.length),
    loopMsPerMessage: busyMs / Math.max(1, latencies.length),
    loopBusy,
    sendMessageCalls: tracker.sendMessageCalls,
    latencies,
  };
}
