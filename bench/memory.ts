/**
 * The memory phase: Redis bytes per idle conversation, from INFO's used_memory before and after
 * 1,000 new conversations, and from MEMORY USAGE of every key of the run, by key family.
 */
import { Redis } from 'ioredis';
import { paced } from './drivers.ts';
import { measurePhase, type BenchContext } from './measure.ts';
import { sleep } from './options.ts';
import { fmt, out } from './report.ts';

/** Bytes of the run's keys. */
interface KeyBytes {
  /** By key family (ids replaced by `…`). */
  readonly families: Map<string, number>;
  /** Of keys that outlive the de-duplication keys (26 h). */
  readonly lasting: number;
}

/** Redis's used_memory, bytes. */
async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
}

/** Every key under `keyPrefix`: MEMORY USAGE summed by family, and of the lasting ones. */
async function keyBytes(redis: Redis, keyPrefix: string): Promise<KeyBytes> {
  const families = new Map<string, number>();
  let lasting = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = next;
    const pipe = redis.pipeline();
    for (const k of keys) pipe.memory('USAGE', k).pttl(k);
    const replies = (await pipe.exec()) ?? [];
    keys.forEach((k, i) => {
      const family = k.slice(keyPrefix.length).replace(/\{[^}]*\}/g, '{…}').replace(/:[^:{}]*\d[^:{}]*$/, ':…');
      const bytes = Number(replies[2 * i]?.[1] ?? 0);
      const ttlMs = Number(replies[2 * i + 1]?.[1] ?? -1);
      families.set(family, (families.get(family) ?? 0) + bytes);
      if (ttlMs < 0 || ttlMs > 27 * 3_600_000) lasting += bytes; // not a de-duplication key (≤ 26 h)
    });
  } while (cursor !== '0');
  return { families, lasting };
}

/** Redis memory per idle conversation: 1,000 new conversations, one question each. */
export async function runMemory(ctx: BenchContext): Promise<void> {
  const { tracker } = ctx;
  const redis = new Redis(ctx.redisUrl);
  const before = await usedMemory(redis);
  const firstMessages = tracker.webhookMessages;
  const mem = await measurePhase(ctx, () => paced(ctx.app, tracker, 200, 5));
  await sleep(500);
  const after = await usedMemory(redis);
  const conversations = tracker.webhookMessages - firstMessages;
  // Every key of the run, by family, per conversation created (each message started one).
  const { families, lasting } = await keyBytes(redis, ctx.keyPrefix);
  const allConversations = tracker.webhookMessages;
  const lockLeft = [...families.keys()].filter((f) => f.endsWith(':lock')).length;
  redis.disconnect();
  out(`redis memory, ${conversations} idle conversations (${mem.e2e.answered}/${mem.e2e.accepted} answered)`);
  out(`  used_memory delta: ${fmt((after - before) / conversations, 0)} bytes per conversation (state, transcript, de-duplication keys, overhead)  [target ≤ 2048: ${(after - before) / conversations <= 2048 ? 'met' : 'MISSED'}]`);
  out(`  once the de-duplication keys expire (26 h): ${fmt(lasting / allConversations, 0)} bytes per idle conversation (MEMORY USAGE)  [target ≤ 2048: ${lasting / allConversations <= 2048 ? 'met' : 'MISSED'}]`);
  out(`  by key (MEMORY USAGE over all ${allConversations} conversations of the run): ${[...families].sort((x, y) => y[1] - x[1]).map(([f, b]) => `${f} ${fmt(b / allConversations, 0)} B`).join(', ')}; locks left behind: ${lockLeft}`);
}
