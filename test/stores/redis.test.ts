/**
 * Every store contract against the Redis implementations on a real redis-server, plus what
 * only Redis has: key layout and size, outages and reconnection, no password in logs.
 * Each fresh store gets its own key prefix, so files and tests never see each other's keys.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LockTimeoutError, StoreUnavailableError } from '../../src/core/errors.ts';
import { silentLogger, type LiveEvent, type Logger } from '../../src/core/ports.ts';
import { createStores } from '../../src/stores/index.ts';
import { closeRedisClient, createRedisClient, redactRedisUrl, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { conversationKeys, RedisConversationStore } from '../../src/stores/redis/redis-conversation-store.ts';
import { RedisEventBus } from '../../src/stores/redis/redis-event-bus.ts';
import { RedisHandoffQueue } from '../../src/stores/redis/redis-handoff-queue.ts';
import { RedisKeyValueStore } from '../../src/stores/redis/redis-key-value-store.ts';
import { RedisWebOutbox, webOutboxKeys } from '../../src/stores/redis/redis-web-outbox.ts';
import { waitFor, type Fresh } from '../contracts/contract-support.ts';
import { describeConversationStoreContract, sampleState } from '../contracts/conversation-store.contract.ts';
import { describeEventBusContract } from '../contracts/event-bus.contract.ts';
import { describeHandoffQueueContract } from '../contracts/handoff-queue.contract.ts';
import { describeKeyValueStoreContract } from '../contracts/key-value-store.contract.ts';
import { describeWebOutboxContract } from '../contracts/web-outbox.contract.ts';
import { describeRateBudgetContract } from '../contracts/rate-budget.contract.ts';
import { RedisRateBudget } from '../../src/stores/redis/redis-rate-budget.ts';
import { startRedisServer } from '../support/redis-server.ts';

const redisUrl = inject('redisUrl');
/** Unprefixed connection for inspection and cleanup. */
const admin = createRedisClient(redisUrl, { connectionName: 'test-admin' });

afterAll(async () => {
  await closeRedisClient(admin);
});

async function connect(keyPrefix: string): Promise<Redis> {
  const client = createRedisClient(redisUrl, { keyPrefix });
  await waitForRedisReady(client, 5_000);
  return client;
}

async function deleteKeys(keyPrefix: string): Promise<void> {
  await waitForRedisReady(admin, 5_000);
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A fresh Redis-backed store, and the prefix its keys live under. */
type RedisFresh<T> = Fresh<T> & { readonly keyPrefix: string };

/**
 * A fresh Redis-backed implementation under a unique prefix; `sibling()` builds a second
 * one on its own connection with the same prefix, as a second app instance would.
 */
async function redisFresh<T extends object>(build: (redis: Redis) => T): Promise<RedisFresh<T>> {
  const keyPrefix = `test:${randomUUID()}:`;
  const clients: Redis[] = [];
  const impls: T[] = [];
  const make = async (): Promise<T> => {
    const client = await connect(keyPrefix);
    clients.push(client);
    const impl = build(client);
    impls.push(impl);
    return impl;
  };
  return {
    keyPrefix,
    impl: await make(),
    sibling: make,
    async cleanup() {
      for (const impl of impls) if ('close' in impl && typeof impl.close === 'function') await impl.close();
      await Promise.all(clients.map((c) => closeRedisClient(c)));
      await deleteKeys(keyPrefix);
    },
  };
}

describeConversationStoreContract('redis', (options) =>
  redisFresh((redis) => new RedisConversationStore({ redis, ...options })),
);
describeHandoffQueueContract('redis', () => redisFresh((redis) => new RedisHandoffQueue({ redis })));
describeEventBusContract('redis', () => redisFresh((redis) => new RedisEventBus({ redis })));
describeKeyValueStoreContract('redis', () => redisFresh((redis) => new RedisKeyValueStore({ redis })));
describeWebOutboxContract('redis', (options) => redisFresh((redis) => new RedisWebOutbox({ redis, ...options })));
describeRateBudgetContract('redis', () => redisFresh((redis) => new RedisRateBudget({ redis })));

describe('RedisRateBudget on Redis', () => {
  it('keeps one sorted set per window under the prefix, expiring one window after the last take', async () => {
    const fresh = await redisFresh((redis) => new RedisRateBudget({ redis }));
    try {
      await fresh.impl.take([{ key: 'web-new:ip:abc:minute', limit: 5, windowMs: 60_000 }], Date.now());
      const key = `${fresh.keyPrefix}budget:{budget}:web-new:ip:abc:minute`;
      expect(await admin.type(key)).toBe('zset');
      const pttl = await admin.pttl(key);
      expect(pttl).toBeGreaterThan(50_000);
      expect(pttl).toBeLessThanOrEqual(60_000);
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('RedisWebOutbox on Redis', () => {
  it('keeps a session under the prefix in two keys with the conversation TTL', async () => {
    const fresh = await redisFresh((redis) => new RedisWebOutbox({ redis, ttlMs: 60_000 }));
    try {
      await fresh.impl.append('web-ttl-check-0001', { text: 'xin chào', buttons: [], menuSeq: 0, atMs: 1 });
      const keys = webOutboxKeys('web-ttl-check-0001');
      const stored = (await admin.keys(`${fresh.keyPrefix}*`)).sort();
      expect(stored).toEqual([`${fresh.keyPrefix}${keys.outbox}`, `${fresh.keyPrefix}${keys.seq}`].sort());
      for (const key of stored) {
        const pttl = await admin.pttl(key);
        expect(pttl).toBeGreaterThan(55_000);
        expect(pttl).toBeLessThanOrEqual(60_000);
      }
      expect(JSON.parse((await admin.lindex(`${fresh.keyPrefix}${keys.outbox}`, 0))!)).toEqual({ seq: 1, text: 'xin chào', buttons: [], menuSeq: 0, atMs: 1 });
    } finally {
      await fresh.cleanup();
    }
  });
});

describe('RedisConversationStore on Redis', () => {
  it('keeps an idle conversation within 2 KB, keys included', async () => {
    const fresh = await redisFresh((redis) => new RedisConversationStore({ redis }));
    try {
      const state = sampleState('telegram:5512345678');
      await fresh.impl.save(state);
      const keys = conversationKeys(state.id);
      const usage = async (key: string): Promise<number> =>
        Number(await admin.memory('USAGE', `${fresh.keyPrefix}${key}`, 'SAMPLES', 0));
      const stateBytes = await usage(keys.state);
      await fresh.impl.appendTranscript(state.id, [
        { atMs: 1_750_000_000_000, role: 'citizen', text: 'Làm lại căn cước bị mất thì cần giấy tờ gì?' },
        { atMs: 1_750_000_001_000, role: 'bot', text: 'Bạn có thể nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia.' },
        { atMs: 1_750_000_060_000, role: 'citizen', text: 'cảm ơn' },
      ]);
      const transcriptBytes = await usage(keys.transcript);
      console.log(
        `idle conversation in Redis (MEMORY USAGE, prefix ${fresh.keyPrefix.length} chars): ` +
          `state ${stateBytes} B, + 3-line transcript ${transcriptBytes} B = ${stateBytes + transcriptBytes} B`,
      );
      expect(stateBytes).toBeGreaterThan(0);
      expect(stateBytes + transcriptBytes).toBeLessThanOrEqual(2048);
    } finally {
      await fresh.cleanup();
    }
  });

  it('puts state and transcript under the prefix with the conversation TTL', async () => {
    const fresh = await redisFresh((redis) => new RedisConversationStore({ redis, ttlMs: 60_000 }));
    try {
      const state = sampleState('web:ttl-check');
      await fresh.impl.save(state);
      await fresh.impl.appendTranscript(state.id, [{ atMs: 1, role: 'citizen', text: 'xin chào' }]);
      const keys = conversationKeys(state.id);
      for (const key of [keys.state, keys.transcript]) {
        const pttl = await admin.pttl(`${fresh.keyPrefix}${key}`);
        expect(pttl).toBeGreaterThan(55_000);
        expect(pttl).toBeLessThanOrEqual(60_000);
      }
    } finally {
      await fresh.cleanup();
    }
  });
});

/** A logger that keeps every line as text (errors with their message), to search. */
function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const text = (obj: object, msg?: string): string =>
    JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)) +
    ` ${msg ?? ''}`;
  const logger: Logger & { lines: string[] } = {
    lines,
    debug: (o, m) => void lines.push(text(o, m)),
    info: (o, m) => void lines.push(text(o, m)),
    warn: (o, m) => void lines.push(text(o, m)),
    error: (o, m) => void lines.push(text(o, m)),
    child: () => logger,
  };
  return logger;
}

describe('Redis client', () => {
  it('never logs the password of the URL', async () => {
    expect(redactRedisUrl('redis://:s3cret-pass@10.0.0.5:6380/2')).toBe('redis://:***@10.0.0.5:6380/2');
    expect(redactRedisUrl('rediss://bot:s3cret-pass@redis.example:6380')).toBe('rediss://bot:***@redis.example:6380');
    expect(redactRedisUrl('not a url s3cret-pass')).toBe('<invalid redis url>');
    const logger = recordingLogger();
    const server = await startRedisServer();
    await server.stop(); // a port where nothing answers
    const client = createRedisClient(`redis://:s3cret-pass@127.0.0.1:${server.port}`, { logger });
    await waitFor(() => logger.lines.length > 0, 5_000, 'a connection log line');
    client.disconnect();
    expect(logger.lines.join('\n')).toContain('127.0.0.1');
    expect(logger.lines.join('\n')).not.toContain('s3cret-pass');
  });
});

describe('Redis outage', () => {
  it('fails fast while Redis is down and recovers by itself when it is back', async () => {
    const server = await startRedisServer();
    const logger = recordingLogger();
    const stores = await createStores({
      redisUrl: server.url,
      keyPrefix: 'fault:',
      conversationTtlMs: 60_000,
      transcriptMax: 50,
      logger,
    });
    try {
      expect(stores.kind).toBe('redis');
      const got: LiveEvent[] = [];
      await stores.events.subscribe((e) => got.push(e));
      await stores.conversations.save(sampleState('web:fault'));

      await server.stop();
      await waitFor(() => stores.redis?.status !== 'ready', 5_000, 'client to notice');
      const startedMs = Date.now();
      await expect(stores.conversations.get('web:fault')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(stores.conversations.markSeen('m1', 1_000)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(stores.conversations.withLock('web:fault', async () => 1)).rejects.toBeInstanceOf(
        StoreUnavailableError,
      );
      await expect(stores.handoffs.list()).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(stores.handoffs.claim('web:fault', 'lan', 1)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(stores.kv.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(stores.events.publish({ type: 'queue', conversationId: 'web:fault', atMs: 1 })).resolves.toBeUndefined();
      expect(await stores.conversations.ping()).toBe(false);
      expect(Date.now() - startedMs).toBeLessThan(1_000);

      await server.restart(); // empty again: no persistence in tests
      await waitFor(() => stores.redis?.status === 'ready', 10_000, 'reconnection');
      expect(await stores.conversations.ping()).toBe(true);
      await stores.conversations.save(sampleState('web:fault'));
      expect(await stores.conversations.get('web:fault')).toMatchObject({ id: 'web:fault' });
      expect(await stores.conversations.withLock('web:fault', async () => 'locked')).toBe('locked');
      // The subscriber connection came back and subscribed again.
      await waitFor(() => {
        void stores.events.publish({ type: 'status', conversationId: 'web:fault', atMs: 2 });
        return got.length > 0;
      }, 5_000, 'live event after reconnection');
      expect(logger.lines.some((l) => l.includes('redis connection lost'))).toBe(true);
    } finally {
      await stores.close();
      await server.stop();
    }
  });

  it('after a restart with persistence, takes over its own stale lock at once, never another instance\'s', async () => {
    const server = await startRedisServer({ persistent: true });
    const logger = recordingLogger();
    const a = createRedisClient(server.url, { keyPrefix: 'stale:' });
    const b = createRedisClient(server.url, { keyPrefix: 'stale:' });
    try {
      await Promise.all([waitForRedisReady(a, 5_000), waitForRedisReady(b, 5_000)]);
      const store = new RedisConversationStore({ redis: a, logger });
      const other = new RedisConversationStore({ redis: b }); // a second app instance
      const state = sampleState('telegram:stale-lock');
      await store.save(state);
      // Redis goes away in the middle of a turn: the release is lost, the lock is kept on disk.
      await store.withLock(state.id, async () => {
        await server.halt();
        await waitFor(() => a.status !== 'ready', 5_000, 'client to notice');
      });
      await server.restart();
      await waitFor(() => a.status === 'ready' && b.status === 'ready', 10_000, 'reconnection');
      expect(await a.exists(conversationKeys(state.id).lock)).toBe(1); // the stale lock came back

      // Another instance cannot tell it from a live turn: it waits (and times out here) ...
      await expect(other.withLock(state.id, async () => 'stolen', 300)).rejects.toBeInstanceOf(LockTimeoutError);
      // ... while the instance that left it knows its turn is over and goes on, with the state.
      expect(await store.withLock(state.id, async (current) => current?.id, 300)).toBe(state.id);
      expect(logger.lines.some((l) => l.includes('stale conversation lock of this instance taken over'))).toBe(true);
      expect(await a.exists(conversationKeys(state.id).lock)).toBe(0); // released normally this time
      expect(await other.withLock(state.id, async () => 'free', 300)).toBe('free');
    } finally {
      await closeRedisClient(a);
      await closeRedisClient(b);
      await server.stop();
    }
  });

  it('createStores rejects with StoreUnavailableError when Redis is not there', async () => {
    const server = await startRedisServer();
    await server.stop();
    const startedMs = Date.now();
    await expect(
      createStores({
        redisUrl: `redis://:pw-never-shown@127.0.0.1:${server.port}`,
        keyPrefix: 'x:',
        conversationTtlMs: 1_000,
        transcriptMax: 5,
        logger: silentLogger,
        connectWaitMs: 300,
      }),
    ).rejects.toThrow(/not reachable/);
    expect(Date.now() - startedMs).toBeLessThan(2_000);
  });
});
