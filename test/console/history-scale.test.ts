// 10,000 past conversations on a private redis-server, searched and listed through the real
// route (session check, audit line, search): every page costs the same small number of Redis
// commands whatever the history's size, and gives the right cases. The time of each page is
// logged, not asserted (a busy machine must not fail the test); see docs/benchmarks.md and
// `npm run bench:history` for the measured figures.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { seedHistory } from '../support/history-seed.ts';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { addStaff, login, testServer } from './helpers.ts';

const CASES = 10_000;
const PAGE = 20;
/**
 * Redis commands one page may cost, whatever the size of the history: the session and its
 * account (2), the audit line (MULTI, LPUSH, LTRIM, EXEC: 4), the search script (EVALSHA, and
 * EVAL once after a restart: 2) and the commands inside it (ZINTERSTORE, PEXPIRE, ZCOUNT,
 * ZREVRANGEBYSCORE, DEL: 5), and one HGETALL per case shown. No scan, no per-case work beyond the page.
 */
const MAX_COMMANDS = 13 + PAGE;

let redis: RedisServerHandle;
let admin: Redis;
let server: Server;
let cookie: string;

async function commandsSoFar(): Promise<number> {
  const info = await admin.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
}

/** One page through the route: the answer, its time (ms) and the Redis commands it cost. */
async function page(query: string): Promise<{ body: { items: { caseId: string; title: string; labels: string[]; status: string }[]; total: number; next?: string }; ms: number; commands: number }> {
  const before = await commandsSoFar();
  const t0 = performance.now();
  const res = await server.app.inject({ method: 'GET', url: `/api/staff/conversations?${query}`, headers: { cookie } });
  const ms = performance.now() - t0;
  expect(res.statusCode, res.body).toBe(200);
  const commands = (await commandsSoFar()) - before - 1; // the INFO of `commandsSoFar` counts itself
  return { body: res.json(), ms, commands };
}

beforeAll(async () => {
  redis = await startRedisServer();
  admin = createRedisClient(redis.url, { connectionName: 'scale-admin' });
  await waitForRedisReady(admin, 5_000);
  server = await testServer({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: `scale:${randomUUID()}:` });
  const t0 = performance.now();
  await seedHistory(server.stores.history, CASES, Date.now());
  process.stdout.write(`history scale: seeded ${CASES} cases in ${Math.round(performance.now() - t0)} ms\n`);
  await addStaff(server, 'lan');
  cookie = await login(server.app, 'lan');
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (admin) await closeRedisClient(admin);
  await redis?.stop();
});

describe(`the history at ${CASES.toLocaleString('en')} conversations`, () => {
  it('lists, searches and pages with a bounded number of Redis commands per page', async () => {
    const timings: string[] = [];
    const check = async (name: string, query: string) => {
      const p = await page(query);
      timings.push(`${name} ${p.ms.toFixed(1)} ms (${p.commands} commands, ${p.body.total} matches)`);
      expect(p.commands, name).toBeLessThanOrEqual(MAX_COMMANDS);
      return p.body;
    };
    const all = await check('list, newest first', `limit=${PAGE}`);
    expect(all.total).toBe(CASES);
    expect(all.items).toHaveLength(PAGE);

    const word = await check('one word', `q=${encodeURIComponent('căn cước')}&limit=${PAGE}`);
    expect(word.total).toBeGreaterThan(500);
    for (const c of word.items) expect(c.title).toMatch(/căn cước|mật khẩu|tạm trú|bằng lái|định danh|khai sinh|hôn nhân|phường|tiền điện|học phí|hồ sơ|bảo hiểm/);

    const narrow = await check('words + label + status', `q=${encodeURIComponent('mật khẩu vneid')}&label=vneid&status=active&limit=${PAGE}`);
    expect(narrow.total).toBeGreaterThan(0);
    for (const c of narrow.items) {
      expect(c.title).toContain('quên mật khẩu VNeID');
      expect(c.labels).toEqual(['VNeID']);
      expect(c.status).toBe('active');
    }

    const one = await check('a rare word', `q=${encodeURIComponent('số 4321')}&limit=${PAGE}`);
    expect(one.items.map((c) => c.title)).toEqual([expect.stringContaining('(số 4321)')]);

    // Page 50 of the list, reached by cursors: still the same cost per page.
    let cursor = all.next;
    const seen = new Set(all.items.map((c) => c.caseId));
    for (let i = 2; i <= 50; i++) {
      const p = await page(`limit=${PAGE}&cursor=${encodeURIComponent(cursor!)}`);
      expect(p.commands).toBeLessThanOrEqual(MAX_COMMANDS);
      for (const c of p.body.items) {
        expect(seen.has(c.caseId)).toBe(false);
        seen.add(c.caseId);
      }
      cursor = p.body.next;
      if (i === 50) timings.push(`page 50 by cursor ${p.ms.toFixed(1)} ms (${p.commands} commands)`);
    }
    expect(seen.size).toBe(50 * PAGE);
    process.stdout.write(`history scale (${CASES} cases, ${PAGE} per page):\n  ${timings.join('\n  ')}\n`);
  }, 120_000);
});
