/**
 * `npm run bench:queue` — a benchmark, not a test. The staff console at scale: 10,000 citizens
 * waiting (BENCH_WAITING), 5 consoles on the live channel (BENCH_CONSOLES), 20 queue changes a
 * second for BENCH_SECONDS (10) while /healthz is asked every 20 ms. Two rounds: the consoles as
 * they are now (each change applied from the event's delta), then as they were before 2026-12
 * (each console reads the whole queue after every change). Prints /healthz p50/p99 per round.
 * Target: p99 ≤ 50 ms. The app runs in this process on a private redis-server.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { putStaffAccount } from '../src/http/staff-accounts.ts';
import { createLogger } from '../src/log/logger.ts';
import { createServer } from '../src/server.ts';
import { openEventStream } from '../test/console/sse-client.ts';
import { startRedisServer } from '../test/support/redis-server.ts';

const WAITING = Number(process.env.BENCH_WAITING ?? 10_000);
const CONSOLES = Number(process.env.BENCH_CONSOLES ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'mật-khẩu-đo-hiệu-năng-42';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', CONTENT_DIR: join(import.meta.dirname, '../content'), CONTENT_WATCH: 'false', REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'benchq:' });
  const server = await createServer(config, { logger: createLogger('silent') });
  const base = await server.start();
  try {
    await putStaffAccount(server.stores.staff, { username: 'lan', password: PASSWORD, role: 'staff' }, Date.now());
    const login = await fetch(`${base}/api/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ username: 'lan', password: PASSWORD }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const t0 = Date.now() - WAITING * 1_000;
    for (let i = 0; i < WAITING; i += 500) {
      await Promise.all(Array.from({ length: Math.min(500, WAITING - i) }, (_, k) => server.stores.handoffs.enqueue({ id: `telegram:${8e9 + i + k}`, channel: 'telegram', waitingSinceMs: t0 + (i + k) * 1_000, reason: 'asked', title: 'làm căn cước cho con dưới 14 tuổi' })));
    }
    const full = await (await fetch(`${base}/api/staff/handoffs`, { headers: { cookie } })).text();
    const page = await (await fetch(`${base}/api/staff/queue`, { headers: { cookie } })).text();
    process.stdout.write(`${WAITING.toLocaleString('en')} waiting, ${CONSOLES} consoles; the whole queue is ${(full.length / 1e6).toFixed(1)} MB, the console's page ${(page.length / 1e3).toFixed(0)} KB; load ${loadavg()[0]!.toFixed(2)}\n`);
    let next = 0;
    for (const round of ['deltas (now)', 'whole queue after each change (before)'] as const) {
      const consoles = await Promise.all(Array.from({ length: CONSOLES }, () => openEventStream(`${base}/api/staff/events`, { cookie })));
      const refetch = round !== 'deltas (now)';
      const seen = consoles.map(() => 0);
      const latencies: number[] = [];
      const endAt = Date.now() + SECONDS * 1_000;
      const changes = (async () => {
        while (Date.now() < endAt) {
          const id = `telegram:${9e9 + next++}` as const;
          await server.stores.handoffs.enqueue({ id, channel: 'telegram', waitingSinceMs: Date.now(), reason: 'asked' });
          await server.stores.events.publish({ type: 'queue', conversationId: id, atMs: Date.now() });
          await sleep(50);
        }
      })();
      const readers = consoles.map(async (c, i) => {
        while (Date.now() < endAt) {
          if (refetch && c.events.length > seen[i]!) {
            seen[i] = c.events.length;
            await (await fetch(`${base}/api/staff/handoffs`, { headers: { cookie } })).text();
          } else await sleep(10);
        }
      });
      while (Date.now() < endAt) {
        const start = performance.now();
        await (await fetch(`${base}/healthz`)).text();
        latencies.push(performance.now() - start);
        await sleep(20);
      }
      await Promise.all([changes, ...readers]);
      for (const c of consoles) c.close();
      latencies.sort((a, b) => a - b);
      process.stdout.write(`  ${round}: /healthz p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms (${latencies.length} asks) [target p99 ≤ 50 ms]\n`);
    }
  } finally {
    await server.stop();
    await redis.stop();
  }
}

void main();
