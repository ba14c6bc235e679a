// Redis Sentinel, for real: a primary, a replica and a sentinel started by this test. The app is
// configured with REDIS_SENTINELS and follows a failover by itself, with no restart: first a
// failover the sentinel is asked for (the old primary lives on as a read-only replica, which
// used to answer every turn READONLY), then the primary SIGKILLed (the sentinel promotes the
// replica). After each promotion citizens are answered with their state within 10 s. A
// REDIS_URL pointing at the sentinel itself is refused at start, with a message saying what to set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { StoreUnavailableError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { createStores } from '../../src/stores/index.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { RedisConversationStore } from '../../src/stores/redis/redis-conversation-store.ts';
import { startSentinelSet, type SentinelSet } from '../support/redis-topologies.ts';
import { eventually, sleep, startProdServer, textUpdate, viMessage, type ProdServer } from './support.ts';

let set: SentinelSet;
let s: ProdServer;

beforeAll(async () => {
  set = await startSentinelSet();
  s = await startProdServer({ env: { REDIS_SENTINELS: set.sentinels, REDIS_SENTINEL_NAME: set.name } });
});
afterAll(async () => {
  await s?.close();
  await set?.stop();
});

/** Posts one message; resolves the replies it got (after they stop coming), or [] after 3 s. */
async function ask(chat: number, text: string): Promise<string[]> {
  const before = s.repliesTo(chat).length;
  expect((await s.postUpdate(textUpdate(chat, text))).statusCode).toBe(200);
  const deadline = Date.now() + 3_000;
  while (s.repliesTo(chat).length === before && Date.now() < deadline) await sleep(20);
  await sleep(150);
  return s.repliesTo(chat).slice(before);
}

/**
 * After the sentinel named a new primary: asks every 200 ms until an answer comes with the
 * conversation's state (no "cannot keep your place" notice, the state saved on the new primary);
 * resolves how long that took from the promotion, ms.
 */
async function msUntilAnsweredWithState(promotedAtMs: number, chat: number): Promise<number> {
  const noState = await viMessage('no_state');
  for (;;) {
    const replies = await ask(chat, 'đăng ký khai sinh cho con');
    // The check reads the store itself: while the client is still switching primaries that read
    // fails like the app's would (an outage), which only means "not yet".
    const saved = replies.length > 0 && (await s.server.stores.conversations.get(`telegram:${chat}`).catch(() => null)) !== null;
    if (saved && !replies.includes(noState)) {
      return Date.now() - promotedAtMs;
    }
    if (Date.now() - promotedAtMs > 30_000) throw new Error('never answered with state after the failover');
    await sleep(200);
  }
}

/** Waits until the sentinel names a primary other than `oldPort`; resolves when it did. */
async function promoted(oldPort: number): Promise<number> {
  await eventually(async () => expect(await set.primaryPort()).not.toBe(oldPort), 30_000);
  return Date.now();
}

it('works through the sentinel, and follows a failover (old primary now a replica) within 10 s, no restart', async () => {
  const first = await ask(6700000001, 'làm căn cước cho con dưới 14 tuổi');
  expect(first.length).toBeGreaterThan(0);
  expect(first).not.toContain(await viMessage('no_state'));
  expect((await s.server.app.inject({ url: '/readyz' })).statusCode).toBe(200);

  const oldPort = await set.primaryPort();
  await set.failover();
  const at = await promoted(oldPort);
  expect(await msUntilAnsweredWithState(at, 6700000002)).toBeLessThanOrEqual(10_000);
  await eventually(async () => expect((await s.server.app.inject({ url: '/readyz' })).statusCode).toBe(200), 10_000);
}, 90_000);

it('follows the promotion after the primary is SIGKILLed, within 10 s of it, no restart', async () => {
  const current = await set.primaryPort();
  const victim = current === set.primary.port ? set.primary : set.replica;
  await victim.kill();
  const at = await promoted(current);
  expect(await msUntilAnsweredWithState(at, 6700000003)).toBeLessThanOrEqual(10_000);
}, 90_000);

describe('a sentinel given where a Redis server belongs', () => {
  it('REDIS_URL at a sentinel: the start is refused, saying to set REDIS_SENTINELS', async () => {
    const start = createStores({ redisUrl: `redis://${set.sentinels}`, keyPrefix: 'x:', conversationTtlMs: 60_000, transcriptMax: 10, logger: silentLogger });
    await expect(start).rejects.toThrow(StoreUnavailableError);
    await expect(start).rejects.toThrow(/is a Redis Sentinel.*REDIS_SENTINELS=/);
  });

  it('a REDIS_URL written like a sentinel address (?name=…) is refused by the configuration', () => {
    expect(() => loadConfig({ REDIS_URL: `redis://${set.sentinels}?name=mymaster` })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: `redis://${set.sentinels}?name=mymaster` })).toThrow(/REDIS_SENTINELS/);
  });

  it('a sentinel answers a store\'s commands "unknown command": an outage, not a bug', async () => {
    const client = createRedisClient(`redis://${set.sentinels}`);
    await waitForRedisReady(client, 5_000);
    try {
      const store = new RedisConversationStore({ redis: client });
      const err = await store.withLockOnce('telegram:1', 'm1', 60_000, async () => undefined).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect((err as StoreUnavailableError).reason).toBe('unknown-command');
    } finally {
      await closeRedisClient(client);
    }
  });
});
