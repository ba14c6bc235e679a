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
 * Phases (BENCH_PHASES, default "steady,max,sustained,memory"; "overload" and "reload" on demand):
 * 1. steady 500 msg/s: an open-loop sender spreads the messages evenly over each second (autocannon's
 *    rate option sends each second's quota in one burst at the start of the second, which measures
 *    the burst, not the rate). Latencies count from the scheduled send time, so a slow server cannot
 *    hide its queue (no coordinated omission).
 * 2. max, in BENCH_ROUNDS rounds (default 3; rounds.ts): autocannon, 32 connections, closed loop,
 *    against the app, the telegraf + Redis-session peer (peer.ts: the bot a Node developer would
 *    write instead, in its own process, on the same Redis and fake Bot API), the I/O skeleton (see
 *    `ioSkeleton`: the same round trips as a usual turn with no app code) and the bare endpoint,
 *    one at a time. messages/s = messages answered end to end / (last reply − start). Prints the
 *    ratios project/peer and app/skeleton per round, and their min / median / max.
 * 3. sustained: the open-loop sender at 60 % of the measured maximum (BENCH_SUSTAIN_RATE overrides).
 * 4. Redis memory per idle conversation.
 * 5. overload (overload.ts): 1.5 × the maximum for 60 s, shed webhooks delivered again after their
 *    Retry-After; counts answers without state, double answers and messages never answered.
 * 6. reload (reload-phase.ts): a second app over 5,000 guides as YAML files at 200 msg/s, reply p99
 *    during a content reload against the same time without one.
 * BENCH_MAX_RATE gives the maximum to scale from when the max phase is not run.
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
import { runSteady, runSustained, warmUp } from './phases.ts';
import { runMaxRounds } from './rounds.ts';
import { runOverload } from './overload.ts';
import { runReload } from './reload-phase.ts';
import { cpus, loadavg } from 'node:os';
import { out } from './report.ts';
import { target } from './target.ts';
import { peer } from './peer.ts';
import { MessageTracker } from './tracker.ts';

/** Parent process: Redis, the fake Bot API and the app process, then the chosen phases. */
async function main(): Promise<void> {
  let redisHandle: RedisServerHandle | undefined;
  const redisUrl = process.env.REDIS_URL || (redisHandle = await startRedisServer()).url;
  const keyPrefix = `bench:${Date.now()}:`;
  const fake = await FakeTelegramServer.start({ token: TOKEN });
  const tracker = new MessageTracker(fake);
  const app = await startAppProcess({ redisUrl, keyPrefix, apiRoot: fake.apiRoot });
  // The telegraf peer: its own process and keys, the same Redis and fake Bot API.
  const peer = PHASES.has('max') ? await startAppProcess({ redisUrl, keyPrefix: `peer:${keyPrefix}`, apiRoot: fake.apiRoot, peer: true }) : undefined;
  const ctx: BenchContext = { app, tracker, redisUrl, keyPrefix };

  out(`app ${app.appUrl}, bare ${app.bareUrl}${peer ? `, peer ${peer.appUrl}` : ''}, redis ${redisHandle ? 'private redis-server' : 'REDIS_URL'}; ${SECONDS} s per phase; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`);
  await warmUp(ctx);
  if (peer) await warmUp({ ...ctx, app: peer }, false);
  if (PHASES.has('steady')) await runSteady(ctx);
  let maxPerSecond = Number(process.env.BENCH_MAX_RATE) || NaN;
  if (peer) maxPerSecond = await runMaxRounds(ctx, peer);
  await peer?.stop();
  if (PHASES.has('sustained')) await runSustained(ctx, maxPerSecond);
  if (PHASES.has('overload')) await runOverload(ctx, maxPerSecond);
  if (PHASES.has('memory')) await runMemory(ctx);
  if (PHASES.has('reload')) await runReload(ctx, fake.apiRoot);
  out(`app log lines during the run (LOG_LEVEL=info): ${app.logLines()}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  await app.stop();
  await fake.close();
  await redisHandle?.stop();
}

if (process.argv.includes('--target')) await target();
else if (process.argv.includes('--peer')) await peer();
else await main();
