/**
 * Every store contract against the memory implementations (time moved by a manual clock).
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { createStores } from '../../src/stores/index.ts';
import { KeyedFifoLock } from '../../src/stores/keyed-fifo-lock.ts';
import { MemoryConversationStore } from '../../src/stores/memory/memory-conversation-store.ts';
import { MemoryEventBus } from '../../src/stores/memory/memory-event-bus.ts';
import { MemoryHandoffQueue } from '../../src/stores/memory/memory-handoff-queue.ts';
import { MemoryKeyValueStore } from '../../src/stores/memory/memory-key-value-store.ts';
import { MemoryWebOutbox } from '../../src/stores/memory/memory-web-outbox.ts';
import { ManualClock, type Fresh } from '../contracts/contract-support.ts';
import { describeConversationStoreContract } from '../contracts/conversation-store.contract.ts';
import { describeEventBusContract } from '../contracts/event-bus.contract.ts';
import { describeHandoffQueueContract } from '../contracts/handoff-queue.contract.ts';
import { describeKeyValueStoreContract } from '../contracts/key-value-store.contract.ts';
import { describeWebOutboxContract } from '../contracts/web-outbox.contract.ts';
import { describeRateBudgetContract } from '../contracts/rate-budget.contract.ts';
import { MemoryRateBudget } from '../../src/stores/memory/memory-rate-budget.ts';

/** A memory store has no second instance: its "sibling" is itself. */
function memoryFresh<T>(impl: T, clock?: ManualClock): Fresh<T> {
  return {
    impl,
    cleanup: async () => {},
    sibling: async () => impl,
    ...(clock && {
      advance: async (ms: number) => {
        clock.advance(ms);
      },
    }),
  };
}

describeConversationStoreContract('memory', async (options) => {
  const clock = new ManualClock();
  return memoryFresh(new MemoryConversationStore({ ...options, clock }), clock);
});

describeHandoffQueueContract('memory', async () => memoryFresh(new MemoryHandoffQueue()));

describeEventBusContract('memory', async () => memoryFresh(new MemoryEventBus()));

describeKeyValueStoreContract('memory', async () => {
  const clock = new ManualClock();
  return memoryFresh(new MemoryKeyValueStore({ clock }), clock);
});

describeWebOutboxContract('memory', async (options) => {
  const clock = new ManualClock();
  return memoryFresh(new MemoryWebOutbox({ ...options, clock }), clock);
});

describeRateBudgetContract('memory', async () => memoryFresh(new MemoryRateBudget()));

describe('MemoryRateBudget', () => {
  it('holds at most maxKeys keys, whatever the number of addresses', async () => {
    const budget = new MemoryRateBudget({ maxKeys: 50 });
    for (let i = 0; i < 500; i++) await budget.take([{ key: `ip:${i}`, limit: 5, windowMs: 60_000 }], 1_750_000_000_000 + i);
    expect(budget.size).toBeLessThanOrEqual(50);
  });
});

describe('MemoryWebOutbox', () => {
  it('drops the least recently written session past sessionsMax', async () => {
    const outbox = new MemoryWebOutbox({ sessionsMax: 2 });
    await outbox.append('session-1', { text: 'a', buttons: [], menuSeq: 0, atMs: 1 });
    await outbox.append('session-2', { text: 'b', buttons: [], menuSeq: 0, atMs: 2 });
    await outbox.append('session-1', { text: 'c', buttons: [], menuSeq: 0, atMs: 3 });
    await outbox.append('session-3', { text: 'd', buttons: [], menuSeq: 0, atMs: 4 });
    expect(await outbox.cursor('session-1')).toBe(2);
    expect(await outbox.cursor('session-2')).toBe(0);
    expect(await outbox.cursor('session-3')).toBe(1);
  });
});

describe('KeyedFifoLock', () => {
  it('forgets a key once nobody holds or waits for it', async () => {
    const locks = new KeyedFifoLock();
    const release = await locks.acquire('k', 100);
    const waiting = locks.acquire('k', 1_000);
    expect(locks.heldCount).toBe(1);
    release();
    release(); // twice is harmless
    (await waiting)();
    expect(locks.heldCount).toBe(0);
  });
});

describe('createStores without a Redis URL', () => {
  it('builds memory stores', async () => {
    const stores = await createStores({
      keyPrefix: 'dvcbot:',
      conversationTtlMs: 60_000,
      transcriptMax: 50,
      logger: silentLogger,
    });
    expect(stores.kind).toBe('memory');
    expect(stores.redis).toBeUndefined();
    expect(await stores.conversations.ping()).toBe(true);
    await stores.close();
  });
});
