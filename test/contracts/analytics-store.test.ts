/**
 * The AnalyticsStore contract against memory and a real redis-server, plus what only Redis
 * has: one list per day, each with an expiry.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MemoryAnalyticsStore } from '../../src/stores/memory/memory-analytics-store.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { RedisAnalyticsStore, analyticsDayKey } from '../../src/stores/redis/redis-analytics-store.ts';
import { describeAnalyticsStoreContract, sampleEvents, type AnalyticsStoreSetup } from './analytics-store.contract.ts';
import type { Fresh } from './contract-support.ts';

const redisUrl = inject('redisUrl');
const admin = createRedisClient(redisUrl, { connectionName: 'test-admin' });
afterAll(() => closeRedisClient(admin));

async function deleteKeys(prefix: string): Promise<void> {
  await waitForRedisReady(admin, 5_000);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
}

async function redisFresh(setup: AnalyticsStoreSetup): Promise<Fresh<RedisAnalyticsStore> & { keyPrefix: string }> {
  const keyPrefix = `test:${randomUUID()}:`;
  const clients: Redis[] = [];
  const make = async () => {
    const redis = createRedisClient(redisUrl, { keyPrefix });
    await waitForRedisReady(redis, 5_000);
    clients.push(redis);
    return new RedisAnalyticsStore({ redis, ...setup });
  };
  return {
    keyPrefix,
    impl: await make(),
    sibling: make,
    async cleanup() {
      await Promise.all(clients.map((c) => closeRedisClient(c)));
      await deleteKeys(keyPrefix);
    },
  };
}

describeAnalyticsStoreContract('memory', async (setup) => ({ impl: new MemoryAnalyticsStore(setup), cleanup: async () => undefined }));
describeAnalyticsStoreContract('redis', redisFresh);

describe('RedisAnalyticsStore key layout', () => {
  it('keeps one list per UTC day, expiring after the retention period', async () => {
    const nowMs = Date.now();
    const f = await redisFresh({ retentionMs: 30 * 86_400_000, clock: { nowMs: () => nowMs } });
    try {
      await f.impl.record([...sampleEvents(nowMs - 2 * 86_400_000), ...sampleEvents(nowMs - 1_000)]);
      const keys = (await admin.keys(`${f.keyPrefix}*`)).sort();
      expect(keys).toEqual([analyticsDayKey(nowMs - 2 * 86_400_000), analyticsDayKey(nowMs - 1_000)].map((k) => `${f.keyPrefix}${k}`).sort());
      for (const key of keys) {
        const ttl = await admin.pttl(key);
        expect(ttl).toBeGreaterThan(27 * 86_400_000);
        expect(ttl).toBeLessThanOrEqual(31 * 86_400_000);
      }
      // Nothing that names a person or a chat.
      const raw = (await Promise.all(keys.map((k) => admin.lrange(k, 0, -1)))).flat().join('\n');
      expect(raw).not.toMatch(/chatId|userId|"id"/);
    } finally {
      await f.cleanup();
    }
  });

  it('skips entries it cannot read instead of failing the report', async () => {
    const nowMs = Date.now();
    const f = await redisFresh({ retentionMs: 30 * 86_400_000, clock: { nowMs: () => nowMs } });
    try {
      await admin.rpush(`${f.keyPrefix}${analyticsDayKey(nowMs)}`, 'not json', JSON.stringify({ kind: 'rating', atMs: nowMs - 5, channel: 'fax', score: 1 }));
      await f.impl.record(sampleEvents(nowMs - 10).slice(0, 1));
      expect(await f.impl.range(nowMs - 60_000, nowMs + 1)).toHaveLength(1);
    } finally {
      await f.cleanup();
    }
  });
});
