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
describeAuditLogContract('memory', async (max) => {
  const impl = new MemoryAuditLog(max === undefined ? {} : { max });
  return { impl, cleanup: async () => {}, sibling: async () => impl };
});

describeStaffDirectoryContract('redis', () => redisFresh((redis) => new RedisStaffDirectory({ redis })));
describeAuditLogContract('redis', (max) => redisFresh((redis) => new RedisAuditLog({ redis, ...(max === undefined ? {} : { max }) })));

describe('RedisStaffDirectory keys', () => {
  it('keeps accounts without expiry and sessions with the session TTL, under the prefix', async () => {
    const f = await redisFresh((redis) => new RedisStaffDirectory({ redis }));
    try {
      await f.impl.putAccount({ username: 'lan', role: 'staff', passwordHash: 'x', createdAtMs: 1 });
      await f.impl.createSession('abc', { username: 'lan', role: 'staff', createdAtMs: 1, expiresAtMs: 2 }, 60_000);
      expect(await admin.pttl(`${f.keyPrefix}staff:accounts`)).toBe(-1);
      const pttl = await admin.pttl(`${f.keyPrefix}staff:session:abc`);
      expect(pttl).toBeGreaterThan(55_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
    } finally {
      await f.cleanup();
    }
  });
});
