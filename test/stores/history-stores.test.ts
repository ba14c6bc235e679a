/**
 * The ConversationHistory contract against memory and Redis (a real redis-server, one key
 * prefix per fresh store), plus what only Redis has: every key but the index of all cases and
 * the label list expires, and a search page costs the same work at any size.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MemoryConversationHistory } from '../../src/stores/memory/memory-conversation-history.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { RedisConversationHistory } from '../../src/stores/redis/redis-conversation-history.ts';
import { ManualClock, type Fresh } from '../contracts/contract-support.ts';
import { describeConversationHistoryContract, sampleCase, type HistoryOptions } from '../contracts/conversation-history.contract.ts';

const redisUrl = inject('redisUrl');
const admin = createRedisClient(redisUrl, { connectionName: 'test-admin-history' });
afterAll(async () => {
  await closeRedisClient(admin);
});

async function deleteKeys(prefix: string): Promise<void> {
  await waitForRedisReady(admin, 5_000);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
}

async function redisHistory(options: HistoryOptions): Promise<Fresh<RedisConversationHistory> & { keyPrefix: string }> {
  const keyPrefix = `test:${randomUUID()}:`;
  const client: Redis = createRedisClient(redisUrl, { keyPrefix });
  await waitForRedisReady(client, 5_000);
  return {
    keyPrefix,
    impl: new RedisConversationHistory({ redis: client, ...options }),
    async cleanup() {
      await closeRedisClient(client);
      await deleteKeys(keyPrefix);
    },
  };
}

describeConversationHistoryContract('memory', async (options) => ({ impl: new MemoryConversationHistory(options), cleanup: async () => {} }));
describeConversationHistoryContract('redis', (options) => redisHistory(options));

describe('RedisConversationHistory keys', () => {
  it('gives every key an expiry except the index of all cases and the label list', async () => {
    const clock = new ManualClock(Date.now());
    const f = await redisHistory({ clock, retentionMs: 3_600_000 });
    try {
      const c = sampleCase('web:k', clock.nowMs() - 60_000);
      await f.impl.open(c, [{ atMs: clock.nowMs(), role: 'citizen', text: 'xin chào cán bộ' }]);
      await f.impl.record(c.caseId, [{ atMs: clock.nowMs(), role: 'staff', text: 'chào anh', by: 'lan' }], { status: 'active', owner: 'lan', addStaff: 'lan' });
      await f.impl.setLabels(c.caseId, ['VNeID']);
      const keys = await admin.keys(`${f.keyPrefix}*`);
      expect(keys.length).toBeGreaterThan(8);
      expect(keys.some((k) => k.includes(':ix:'))).toBe(false);
      const forever = [];
      for (const k of keys) {
        const ttl = await admin.pttl(k);
        if (ttl === -1) forever.push(k.slice(f.keyPrefix.length));
        else expect(ttl, k).toBeLessThanOrEqual(3_600_000);
      }
      expect(forever.sort()).toEqual(['hist:{hist}:all', 'hist:{hist}:labels']);
    } finally {
      await f.cleanup();
    }
  });
});
