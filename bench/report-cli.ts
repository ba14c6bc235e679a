/**
 * `npm run bench:report` — a benchmark, not a test. `npm run report -- --since 7d` over a busy
 * week on a private redis-server: BENCH_DAYS (7) days of BENCH_PER_DAY (100,000) questions each,
 * real-shaped (masked, normalised queries of the eval set; a tenth unanswered), plus a little
 * feedback, hand-offs, claims and ratings. Runs the real command as its own process under
 * `/usr/bin/time` and prints its wall time and peak memory. Target: ≤ 10 s and ≤ 500 MB.
 * BENCH_REPORT_ROOT runs the command of another checkout (to compare with an older version).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AnalyticsEvent } from '../src/core/ports.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../src/stores/redis/client.ts';
import { RedisAnalyticsStore } from '../src/stores/redis/redis-analytics-store.ts';
import { startRedisServer } from '../test/support/redis-server.ts';

const run = promisify(execFile);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const PER_DAY = Number(process.env.BENCH_PER_DAY ?? 100_000);
const ROOT = join(import.meta.dirname, '..');
const QUERIES = readFileSync(join(ROOT, 'test/fixtures/eval/questions.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { q: string }).q.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd'));
const GUIDES = ['khai-sinh', 'can-cuoc-lan-dau', 'dinh-danh-muc-2', 'thuong-tru', 'giay-phep-lai-xe', 'ket-hon', 'tam-tru', 'hoc-phi'];
const CHANNELS = ['telegram', 'zalo-bot', 'zalo-oa', 'web'] as const;

/** The i-th event of a day starting at `dayMs`: mostly questions, a few of the other kinds. */
function eventOf(dayMs: number, i: number): AnalyticsEvent {
  const atMs = dayMs + Math.floor((i / PER_DAY) * 86_400_000);
  const channel = CHANNELS[i % CHANNELS.length]!;
  const guide = GUIDES[i % GUIDES.length]!;
  if (i % 50 === 1) return { kind: 'feedback', atMs, channel, guideId: guide, helpful: i % 3 !== 0 };
  if (i % 97 === 2) return { kind: 'handoff', atMs, channel, reason: 'asked', guideId: guide };
  if (i % 97 === 3) return { kind: 'claimed', atMs, channel, waitMs: 30_000 + (i % 600_000) };
  if (i % 193 === 4) return { kind: 'rating', atMs, channel, score: 1 + (i % 5) };
  const unanswered = i % 10 === 0;
  return {
    kind: 'question',
    atMs,
    channel,
    decision: unanswered ? 'fallback' : 'answer',
    query: QUERIES[i % QUERIES.length]!,
    guides: unanswered ? [] : [guide],
    confidence: unanswered ? 0.2 : 0.8,
    ...(unanswered ? { notCovered: true as const } : {}),
  };
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const prefix = 'bench:';
  const redis = createRedisClient(server.url, { keyPrefix: prefix });
  try {
    await waitForRedisReady(redis, 5_000);
    const store = new RedisAnalyticsStore({ redis });
    const untilMs = Date.now();
    const t0 = performance.now();
    for (let d = DAYS; d >= 1; d--) {
      const dayMs = untilMs - d * 86_400_000;
      for (let i = 0; i < PER_DAY; i += 5_000) {
        await store.record(Array.from({ length: Math.min(5_000, PER_DAY - i) }, (_, k) => eventOf(dayMs, i + k)));
      }
    }
    const memory = /used_memory_human:(\S+)/.exec(await redis.info('memory'))?.[1];
    process.stdout.write(`seeded ${DAYS} days × ${PER_DAY.toLocaleString('en')} events in ${((performance.now() - t0) / 1000).toFixed(1)} s (Redis ${memory})\n`);
    const env = { ...process.env, REDIS_URL: server.url, REDIS_KEY_PREFIX: prefix, LOG_LEVEL: 'silent' };
    const { stderr } = await run('/usr/bin/time', ['-f', 'TIME %e s, peak RSS %M KB', process.execPath, '--import', 'tsx', 'src/cli/report.ts', '--since', `${DAYS}d`, '--format', 'json'], { cwd: process.env.BENCH_REPORT_ROOT ?? ROOT, env, maxBuffer: 256 * 1024 * 1024 });
    const line = stderr.split('\n').find((l) => l.startsWith('TIME')) ?? stderr;
    const [, seconds, kb] = /TIME ([\d.]+) s, peak RSS (\d+) KB/.exec(line) ?? [];
    process.stdout.write(`npm run report -- --since ${DAYS}d: ${seconds} s, peak ${(Number(kb) / 1024).toFixed(0)} MB (targets ≤ 10 s, ≤ 500 MB); load ${(await import('node:os')).loadavg()[0]!.toFixed(2)}\n`);
  } finally {
    await closeRedisClient(redis);
    await server.stop();
  }
}

void main();
