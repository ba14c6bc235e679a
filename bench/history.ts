/**
 * `npm run bench:history` — a benchmark, not a test. The staff console's history at 10,000
 * hand-offs (BENCH_CASES overrides) on a private redis-server: seeds realistic cases
 * (test/support/history-seed.ts), then times pages of the list and of searches straight on the
 * Redis store (one Lua call and one pipelined read per page), each 200 times, and prints p50,
 * p95 and max per query, the Redis memory used, and the commands per page. Target: every page
 * ≤ 200 ms (the console's route adds the session check and the audit line: a few Redis commands).
 */
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../src/stores/redis/client.ts';
import { RedisConversationHistory } from '../src/stores/redis/redis-conversation-history.ts';
import type { CaseQuery } from '../src/core/ports.ts';
import { seedHistory } from '../test/support/history-seed.ts';
import { startRedisServer } from '../test/support/redis-server.ts';

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const RUNS = 200;
const QUERIES: [string, Omit<CaseQuery, 'limit'>][] = [
  ['list, newest first', {}],
  ['status = resolved', { status: 'resolved' }],
  ['label = VNeID', { label: 'VNeID' }],
  ['one word "căn cước"', { text: 'căn cước' }],
  ['folded words "mat khau vneid"', { text: 'mat khau vneid' }],
  ['words + label + status', { text: 'mật khẩu', label: 'vneid', status: 'active' }],
  ['staff + channel', { staff: 'hoa', channel: 'zalo-bot' }],
  ['a rare word "4321"', { text: 'số 4321' }],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const server = await startRedisServer();
  const redis = createRedisClient(server.url, { keyPrefix: 'bench:' });
  try {
    await waitForRedisReady(redis, 5_000);
    const history = new RedisConversationHistory({ redis });
    const t0 = performance.now();
    await seedHistory(history, CASES, Date.now());
    const memory = /used_memory:(\d+)/.exec(await redis.info('memory'))?.[1];
    process.stdout.write(`seeded ${CASES} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s; Redis used ${(Number(memory) / 1048576).toFixed(1)} MB\n\n`);
    process.stdout.write('| query (20 per page) | matches | p50 ms | p95 ms | max ms | commands |\n| --- | --- | --- | --- | --- | --- |\n');
    for (const [name, q] of QUERIES) {
      const times: number[] = [];
      let total = 0;
      const before = Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1]);
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const page = await history.search({ ...q, limit: 20 });
        times.push(performance.now() - start);
        total = page.total;
      }
      const after = Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1]);
      times.sort((a, b) => a - b);
      const per = ((after - before - 1) / RUNS).toFixed(0);
      process.stdout.write(`| ${name} | ${total} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${times.at(-1)!.toFixed(1)} | ${per} |\n`);
    }
  } finally {
    await closeRedisClient(redis);
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
