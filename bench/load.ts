/**
 * `npm run bench:load` — a benchmark, not a test. Drives the Telegram webhook of the real app
 * (own process: createServer with real Redis, the real engine and the Bot API client against a
 * fake Bot API on loopback) and, in the same run, a bare Fastify endpoint (same process as the
 * app) that only parses the same JSON. Targets on a 2-core machine: ratio ≥ 0.35,
 * reply p99 ≤ 50 ms at 500 msg/s, ≤ 2 KB of Redis per idle conversation.
 *
 * Two latencies, never mixed up:
 * - webhook: POST sent → HTTP answer. The route answers 200 as soon as the update is parsed and
 *   processes it afterwards, so this is what Telegram sees.
 * - reply (end to end): POST sent → the first sendMessage for that chat reaching the fake Bot API.
 * A phase only counts when every update the webhook accepted (2xx) got its reply: the fake counts
 * sendMessage calls per chat, and the report says answered/accepted.
 *
 * Phases:
 * 1. steady 500 msg/s: an open-loop sender spreads the messages evenly over each second (autocannon's
 *    rate option sends each second's quota in one burst at the start of the second, which measures
 *    the burst, not the rate). Latencies count from the scheduled send time, so a slow server cannot
 *    hide its queue (no coordinated omission).
 * 2. maximum: autocannon, 32 connections, closed loop, against the webhook and then the bare endpoint.
 *    messages/s = messages answered end to end / (last reply − start); ratio = that / bare req/s.
 *    Then the I/O skeleton (see `ioSkeleton`): the same round trips as a usual turn with no app
 *    code, the same way: the most any design on one event loop could reach here.
 *    Past MAX_IN_FLIGHT the webhook sheds with 503 (counted as non-2xx; those are not expected to be answered).
 * 3. sustained: the open-loop sender at 60 % of the measured maximum (BENCH_SUSTAIN_RATE overrides).
 * 4. Redis memory per idle conversation.
 * Each phase also prints the app process's CPU time per message (user + system of all its threads,
 * from process.cpuUsage) and its event loop's busy time (performance.eventLoopUtilization).
 * The app logs at the production level (info); the number of lines it wrote is printed at the end.
 *
 * Messages cycle through the real-shaped questions of test/fixtures/eval/questions.jsonl, each from
 * a new chat (so every message creates a conversation: the heavier case).
 *
 * Uses REDIS_URL when set (a scratch database: keys go under a fresh prefix), else starts a
 * private redis-server. BENCH_SECONDS (default 10) sets the length of each measured phase;
 * BENCH_PHASES (default "steady,max,sustained,memory") picks phases; BENCH_CPU_PROF=<dir> writes
 * a CPU profile of the app process.
 *
 * The parts: options.ts (settings, updates), target.ts (the app process), app-process.ts (the
 * parent's handle on it), tracker.ts (messages and replies), drivers.ts (autocannon and the
 * open-loop sender), measure.ts (one phase's numbers), phases.ts and memory.ts (the phases),
 * report.ts (the output).
 */
import { FakeTelegramServer } from '../test/support/fake-telegram.ts';
import { startRedisServer, type RedisServerHandle } from '../test/support/redis-server.ts';
import { startAppProcess } from './app-process.ts';
import { runMemory } from './memory.ts';
import type { BenchContext } from './measure.ts';
import { PHASES, SECONDS, TOKEN } from './options.ts';
import { runMax, runSteady, runSustained, warmUp } from './phases.ts';
import { out } from './report.ts';
import { target } from './target.ts';
import { MessageTracker } from './tracker.ts';

/** Parent process: Redis, the fake Bot API and the app process, then the chosen phases. */
async function main(): Promise<void> {
  let redisHandle: RedisServerHandle | undefined;
  const redisUrl = process.env.REDIS_URL || (redisHandle = await startRedisServer()).url;
  const keyPrefix = `bench:${Date.now()}:`;
  const fake = await FakeTelegramServer.start({ token: TOKEN });
  const tracker = new MessageTracker(fake);
  const app = await startAppProcess({ redisUrl, keyPrefix, apiRoot: fake.apiRoot });
  const ctx: BenchContext = { app, tracker, redisUrl, keyPrefix };

  out(`app ${app.appUrl}, bare ${app.bareUrl}, redis ${redisHandle ? 'private redis-server' : 'REDIS_URL'}; ${SECONDS} s per phase`);
  await warmUp(ctx);
  if (PHASES.has('steady')) await runSteady(ctx);
  let maxPerSecond = NaN;
  if (PHASES.has('max')) maxPerSecond = await runMax(ctx);
  if (PHASES.has('sustained')) await runSustained(ctx, maxPerSecond);
  if (PHASES.has('memory')) await runMemory(ctx);
  out(`app log lines during the run (LOG_LEVEL=info): ${app.logLines()}`);

  await app.stop();
  await fake.close();
  await redisHandle?.stop();
}

if (process.argv.includes('--target')) await target();
else await main();
