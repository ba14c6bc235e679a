/**
 * The StaffDirectory and AuditLog contracts against memory (manual clock) and Redis (a real
 * redis-server, one key prefix per fresh store), plus the Redis key layout.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MemoryAuditLog } from '../../src/stores/memory/memory-audit-log.ts';
import { MemoryStaffDirectory } from '../../src/stores/memory/memory-staff-directory.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { RedisAuditLog } from '../../src/stores/redis/redis-audit-log.ts';
import { RedisStaffDirectory } from '../../src/stores/redis/redis-staff-directory.ts';
import { ManualClock, type Fresh } from '../contracts/contract-support.ts';
import { describeAuditLogContract } from '../contracts/audit-log.contract.ts';
import { describeStaffDirectoryContract } from '../contracts/staff-directory.contract.ts';

const redisUrl = inject('redisUrl');
const admin = createRedisClient(redisUrl, { connectionName: 'test-admin-staff' });
afterAll(async () => {
  await closeRedisClient(admin);
});

async function deleteKeys(prefix: string): Promise<void> {
  await waitForRedisReady(admin, 5_000);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
}

/** A fresh Redis-backed store under its own prefix; `sibling()` opens a second connection. */
async function redisFresh<T>(build: (redis: Redis) => T): Promise<Fresh<T> & { keyPrefix: string }> {
  const keyPrefix = `test:${randomUUID()}:`;
  const clients: Redis[] = [];
  const make = async (): Promise<T> => {
    const client = createRedisClient(redisUrl, { keyPrefix });
    await waitForRedisReady(client, 5_000);
    clients.push(client);
    return build(client);
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

describeStaffDirectoryContract('memory', async () => {
  const clock = new ManualClock();
  const impl = new MemoryStaffDirectory({ clock });
  return { impl, cleanup: async () => {}, sibling: async () => impl, advance: async (ms) => clock.advance(ms) };
});
describeAuditLogContract('memory', async (options) => {
  const impl = new MemoryAuditLog(options);
  return { impl, cleanup: async () => {}, sibling: async () => impl };
});

describeStaffDirectoryContract('redis', () => redisFresh((redis) => new RedisStaffDirectory({ redis })));
describeAuditLogContract('redis', (options) => redisFresh((redis) => new RedisAuditLog({ redis, ...options })));

describe('RedisStaffDirectory keys', () => {
  it('keeps accounts without expiry and sessions with the session TTL, under the prefix', async () => {
    const f = await redisFresh((redis) => new RedisStaffDirectory({ redis }));
    try {
      await f.impl.putAccount({ username: 'lan', role: 'staff', passwordHash: 'x', createdAtMs: 1 });
      await f.impl.createSession('abc', { username: 'lan', role: 'staff', createdAtMs: 1, expiresAtMs: 2 }, 60_000);
      expect(await admin.pttl(`${f.keyPrefix}staff:{staff}:accounts`)).toBe(-1);
      const pttl = await admin.pttl(`${f.keyPrefix}staff:{staff}:session:abc`);
      expect(pttl).toBeGreaterThan(55_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
    } finally {
      await f.cleanup();
    }
  });

  it('moves the accounts kept before the {staff} hash tag on first use, never over newer ones', async () => {
    const f = await redisFresh((redis) => new RedisStaffDirectory({ redis }));
    try {
      const legacy = { username: 'old', role: 'editor', passwordHash: 'h', createdAtMs: 5 };
      await admin.hset(`${f.keyPrefix}staff:accounts`, 'old', JSON.stringify(legacy));
      expect(await f.impl.getAccount('old')).toEqual(legacy);
      expect(await admin.exists(`${f.keyPrefix}staff:accounts`)).toBe(0);
      expect((await f.impl.listAccounts()).map((a) => a.username)).toEqual(['old']);
    } finally {
      await f.cleanup();
    }
  });
});

describe('RedisAuditLog keys', () => {
  it('keeps entries in one set that expires with the retention; no key holds the entries forever', async () => {
    const clock = new ManualClock();
    const f = await redisFresh((redis) => new RedisAuditLog({ redis, retentionMs: 10 * 86_400_000, clock }));
    try {
      await f.impl.append({ atMs: clock.nowMs(), actor: 'lan', action: 'read', conversationId: 'web:abc' });
      expect(await admin.type(`${f.keyPrefix}audit:entries`)).toBe('zset');
      const pttl = await admin.pttl(`${f.keyPrefix}audit:entries`);
      expect(pttl).toBeGreaterThan(9 * 86_400_000);
      expect(pttl).toBeLessThanOrEqual(10 * 86_400_000);
    } finally {
      await f.cleanup();
    }
  });

  it('moves the list of earlier versions into the set once: erasures lose their id, entries past the retention go', async () => {
    const clock = new ManualClock();
    const now = clock.nowMs();
    const f = await redisFresh((redis) => new RedisAuditLog({ redis, retentionMs: 30 * 86_400_000, clock }));
    try {
      const legacy = `${f.keyPrefix}audit:log`;
      // LPUSH order: newest first, as the old log kept them.
      await admin.lpush(
        legacy,
        JSON.stringify({ atMs: now - 40 * 86_400_000, actor: 'lan', action: 'claim', conversationId: 'telegram:111' }),
        JSON.stringify({ atMs: now - 2_000, actor: 'citizen', action: 'erase', conversationId: 'telegram:5512345678' }),
        JSON.stringify({ atMs: now - 1_000, actor: 'lan', action: 'reply', conversationId: 'web:abc' }),
        'not json',
      );
      expect(await f.impl.recent(10)).toEqual([
        { atMs: now - 1_000, actor: 'lan', action: 'reply', conversationId: 'web:abc', channel: 'web' },
        { atMs: now - 2_000, actor: 'citizen', action: 'erase', channel: 'telegram' },
      ]);
      expect(await admin.exists(legacy)).toBe(0);
      const other = await f.sibling!();
      expect(await other.recent(10)).toHaveLength(2); // a second instance does not move anything twice
      expect(JSON.stringify(await admin.zrange(`${f.keyPrefix}audit:entries`, '0', '-1'))).not.toContain('5512345678');
    } finally {
      await f.cleanup();
    }
  });
});
