/**
 * Redis time-outs on the turn path told apart from outages (issue 24). A blocked event loop
 * makes ioredis time a command out although Redis answered at once (the time-out runs in the
 * loop turn that would have read the reply); a paused Redis on an idle loop is an outage. In
 * the first case the turn goes on, exactly once, and leaves no lock; in the second the caller
 * hears the outage, and the lost attempt leaves no lock behind and no way to run the message twice.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { StoreUnavailableError } from '../../src/core/errors.ts';
import type { TranscriptEntry } from '../../src/core/types.ts';
import { EventLoopLag } from '../../src/metrics/event-loop-lag.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { conversationKeys, RedisConversationStore } from '../../src/stores/redis/redis-conversation-store.ts';
import { sampleState } from '../contracts/conversation-store.contract.ts';
import { eventually } from '../support/eventually.ts';

const redisUrl = inject('redisUrl');
const keyPrefix = `test:${randomUUID()}:`;
const lag = new EventLoopLag();
let client: Redis;
let admin: Redis;
const slow: string[] = [];
let store: RedisConversationStore;

/** Keeps the event loop busy for `ms`. */
function blockLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

/**
 * Redis answers the next writes after 50 ms (well within the 100 ms time-out), while this
 * process's loop is blocked from 10 ms to 410 ms, as a long batch of work blocks it: the reply
 * arrives during the block, and the time-out's timer runs before the socket is read again.
 * (A block in the timers phase would not do: libuv's clock stands still within one phase.)
 */
async function replyIn50msAndBlockLoop(): Promise<void> {
  await admin.call('CLIENT', 'PAUSE', '50', 'WRITE');
  setTimeout(() => setImmediate(() => blockLoop(400)), 10);
}

beforeAll(async () => {
  lag.start();
  // A short command time-out, so that a short block of the loop is enough to outlast it.
  client = createRedisClient(redisUrl, { keyPrefix, commandTimeoutMs: 100 });
  admin = createRedisClient(redisUrl, { keyPrefix, connectionName: 'test-admin' });
  await Promise.all([waitForRedisReady(client, 5_000), waitForRedisReady(admin, 5_000)]);
  store = new RedisConversationStore({ redis: client, triage: { lagSinceMs: (since) => lag.maxSinceMs(since), onSlow: (op) => slow.push(op) } });
  // The scripts are loaded (a first EVALSHA would cost a second round trip).
  await store.withLockOnce('telegram:warm-up', 'warm', 60_000, async (_s, save) => save(sampleState('telegram:warm-up')));
});
afterAll(async () => {
  lag.stop();
  await closeRedisClient(client);
  await closeRedisClient(admin);
});

it('a time-out under local lag is retried: the turn runs once and leaves no lock', async () => {
  const id = 'telegram:lagged-1';
  const keys = conversationKeys(id);
  slow.length = 0;
  let runs = 0;
  await replyIn50msAndBlockLoop();
  const outcome = await store.withLockOnce(id, 'update-1', 60_000, async () => {
    runs += 1;
    return 'answered';
  });
  expect(outcome).toEqual({ first: true, value: 'answered' });
  expect(runs).toBe(1);
  expect(slow).toContain('lock');
  expect(await admin.exists(keys.lock)).toBe(0);
  // The redelivered update is a duplicate: the message was recorded once, by this turn.
  expect(await store.withLockOnce(id, 'update-1', 60_000, async () => (runs += 1))).toEqual({ first: false });
  expect(runs).toBe(1);
});

it("a turn's final save that timed out under local lag is not lost and not written twice", async () => {
  const id = 'telegram:lagged-2';
  const keys = conversationKeys(id);
  slow.length = 0;
  const line: TranscriptEntry = { atMs: 1, role: 'citizen', text: 'làm căn cước' };
  await store.withLockOnce(id, 'update-2', 60_000, async (_state, saveOnRelease) => {
    await replyIn50msAndBlockLoop();
    saveOnRelease({ ...sampleState(id), lang: 'en' }, [line]);
  });
  expect(slow).toContain('save');
  expect((await store.get(id))?.lang).toBe('en');
  expect(await store.transcript(id)).toEqual([line]);
  expect(await admin.exists(keys.lock)).toBe(0);
});

it('a time-out with Redis stalled and the loop idle is an outage; the lost attempt leaves no lock and cannot run twice', async () => {
  const id = 'telegram:stalled-1';
  const keys = conversationKeys(id);
  slow.length = 0;
  let runs = 0;
  await admin.call('CLIENT', 'PAUSE', '600', 'ALL');
  await expect(store.withLockOnce(id, 'update-3', 60_000, async () => (runs += 1))).rejects.toBeInstanceOf(StoreUnavailableError);
  expect(slow).toEqual([]);
  // Once Redis runs again, the lost attempt ran (it took the lock and recorded the message),
  // and the release queued behind it freed the lock.
  await eventually(async () => expect(await admin.exists(keys.seen('update-3'))).toBe(1), 5_000);
  expect(await admin.exists(keys.lock)).toBe(0);
  expect(await store.withLockOnce(id, 'update-3', 60_000, async () => (runs += 1))).toEqual({ first: false });
  expect(await store.withLockOnce(id, 'update-4', 60_000, async () => (runs += 1))).toEqual({ first: true, value: 1 });
  expect(runs).toBe(1);
});
