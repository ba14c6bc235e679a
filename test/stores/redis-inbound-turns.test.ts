/**
 * The durable inbound log's turns on Redis in three round trips (append, offer with the turn's
 * start, the turn's end with the queue's next): what the merged scripts keep of the guarantees.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, expect, inject, it } from 'vitest';
import { silentLogger, type QueuedTurn } from '../../src/core/ports.ts';
import type { InboundMessage } from '../../src/core/types.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { conversationKeys, inboundKeys } from '../../src/stores/redis/conversation-keys.ts';
import { RedisConversationStore } from '../../src/stores/redis/redis-conversation-store.ts';
import { INBOUND_STREAM, RedisInboundLog } from '../../src/stores/redis/redis-inbound-log.ts';
import { sampleState } from '../contracts/conversation-store.contract.ts';

const clients: Redis[] = [];
afterAll(async () => {
  for (const c of clients) await closeRedisClient(c);
});

async function fresh(): Promise<{ redis: Redis; store: RedisConversationStore; log: RedisInboundLog }> {
  const redis = createRedisClient(inject('redisUrl'), { keyPrefix: `test:${randomUUID()}:` });
  clients.push(redis);
  await waitForRedisReady(redis, 5_000);
  const store = new RedisConversationStore({ redis, logger: silentLogger });
  const log = new RedisInboundLog({ redis, logger: silentLogger, turnStart: { starts: store.turnStarts, seenTtlMs: 60_000 } });
  return { redis, store, log };
}

function message(chatId: string, n: number): InboundMessage {
  return { id: `m${n}`, channel: 'telegram', chatId, kind: 'text', text: `question ${n}`, sentAtMs: Date.now(), order: n };
}

/** Offers a fresh message as the webhook does (appended, then offered with its turn's start). */
async function accepted(log: RedisInboundLog, msg: InboundMessage, draining = false) {
  const { own } = await log.append(msg);
  return { own, outcome: await log.offer(own, !draining, true) };
}

it('starts the turn with the offer and ends it with the queue moved on, the acknowledgement batched', async () => {
  const { redis, store, log } = await fresh();
  const id = 'telegram:501' as const;
  const first = await accepted(log, message('501', 1));
  expect(first.outcome.kind).toBe('drain');
  if (first.outcome.kind !== 'drain') return;
  expect(first.outcome.start).toBeDefined();
  expect(await redis.get(conversationKeys(id).lock)).toBe(first.outcome.start!.lock);
  const turn: QueuedTurn = { entry: first.own, lease: first.outcome.lease, leaseTtlMs: log.leaseTtlMs, start: first.outcome.start };

  // A second message arrives during the turn (this instance drains the conversation): queued behind it.
  const second = await accepted(log, message('501', 2), true);
  expect(second.outcome.kind).toBe('queued');

  const ran = await store.withLockOnce(id, 'm1', 60_000, async (state, saveOnRelease) => {
    expect(state).toBeNull();
    saveOnRelease(sampleState(id), [{ atMs: 1, role: 'citizen', text: 'question 1' }]);
  }, 1_000, turn);
  expect(ran.first).toBe(true);
  expect(turn.start).toBeUndefined();
  expect(turn.next?.message.id).toBe('m2');
  expect(await redis.exists(conversationKeys(id).lock)).toBe(0);
  expect(await store.get(id)).not.toBeNull();
  expect((await store.transcript(id)).map((e) => e.text)).toEqual(['question 1']);

  // The second turn: not started by an offer, so the store takes the lock itself.
  const turn2: QueuedTurn = { entry: turn.next!, lease: turn.lease, leaseTtlMs: log.leaseTtlMs };
  await store.withLockOnce(id, 'm2', 60_000, async (state, saveOnRelease) => saveOnRelease(state!), 1_000, turn2);
  expect(turn2.next).toBeNull();
  const k = inboundKeys(id);
  expect(await redis.exists(k.lease, k.queue, k.messages, conversationKeys(id).lock)).toBe(0);

  // Acknowledged in one batch, with the next append or on their own.
  log.acknowledge(first.own);
  log.acknowledge(turn.next!);
  await log.flush();
  expect(await redis.xlen(INBOUND_STREAM)).toBe(0);
  expect(Number((await redis.xpending(INBOUND_STREAM, 'turns'))[0])).toBe(0);
});

it('a redelivery is not queued again; a started turn is not taken over by a local caller, a stale start is', async () => {
  const { redis, store, log } = await fresh();
  const id = 'telegram:502' as const;
  const first = await accepted(log, message('502', 1));
  if (first.outcome.kind !== 'drain') throw new Error('no drain');
  expect((await accepted(log, message('502', 1), true)).outcome.kind).toBe('done');

  // A staff action on this instance waits for the started turn instead of taking its lock over.
  let staffRan = false;
  const staff = store.withLock(id, async () => {
    staffRan = true;
  }, 5_000);
  await new Promise((r) => setTimeout(r, 150));
  expect(staffRan).toBe(false);
  const turn: QueuedTurn = { entry: first.own, lease: first.outcome.lease, leaseTtlMs: log.leaseTtlMs, start: first.outcome.start };
  await store.withLockOnce(id, 'm1', 60_000, async (_state, saveOnRelease) => saveOnRelease(sampleState(id)), 1_000, turn);
  await staff;
  expect(staffRan).toBe(true);

  // A start whose turn is over but whose lock stayed (a release lost to a restart): taken over at once.
  const token = store.turnStarts.begin(id);
  await redis.set(conversationKeys(id).lock, token, 'PX', 60_000);
  store.turnStarts.end(id, token);
  const startedMs = Date.now();
  await store.withLock(id, async () => undefined, 5_000);
  expect(Date.now() - startedMs).toBeLessThan(1_000);
});

it('a start the engine did not use is released', async () => {
  const { redis, log } = await fresh();
  const id = 'telegram:503' as const;
  const first = await accepted(log, message('503', 1));
  if (first.outcome.kind !== 'drain' || !first.outcome.start) throw new Error('no start');
  await log.abandon(id, first.outcome.start);
  expect(await redis.exists(conversationKeys(id).lock)).toBe(0);
});

it('appends and offers in one step where it can (not on a cluster), with the same outcomes', async () => {
  const { redis, store, log } = await fresh();
  const id = 'telegram:504' as const;
  expect(log.appendOffer).toBeDefined();
  const first = await log.appendOffer!(message('504', 1), true);
  expect(first.outcome?.kind).toBe('drain');
  if (first.outcome?.kind !== 'drain') return;
  expect(first.outcome.next.entryId).toBe(first.own.entryId);
  expect(await redis.get(conversationKeys(id).lock)).toBe(first.outcome.start?.lock);
  // A redelivery: appended, found done (its entry acknowledged with the next append).
  expect((await log.appendOffer!(message('504', 1), false)).outcome?.kind).toBe('done');
  const second = await log.appendOffer!(message('504', 2), false);
  expect(second.outcome?.kind).toBe('queued');
  const turn: QueuedTurn = { entry: first.own, lease: first.outcome.lease, leaseTtlMs: log.leaseTtlMs, start: first.outcome.start };
  await store.withLockOnce(id, 'm1', 60_000, async (state, saveOnRelease) => saveOnRelease(sampleState(id)), 1_000, turn);
  expect(turn.next?.entryId).toBe(second.own.entryId);
  log.acknowledge(first.own);
  await log.flush();
  expect(await redis.xlen(INBOUND_STREAM)).toBe(1); // the second message's entry, its turn not run yet
});
