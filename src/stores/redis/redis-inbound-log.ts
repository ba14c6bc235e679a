/**
 * The durable inbound log on Redis: a Stream with one consumer group, and a queue per
 * conversation drained by whoever holds the conversation's lease.
 *
 * Keys (after the client's prefix):
 * - `inbound:{inbound}:log`        STREAM of accepted messages (`m` = JSON), group `turns`; an
 *                                  entry is deleted once its turn is over, so the stream holds
 *                                  only what is not done yet; capped at `maxLength` (approximate)
 * - `conv:{<id>}:inq`              ZSET message key → order: the conversation's messages to handle
 * - `conv:{<id>}:inmsg`            HASH message key → JSON, `@<key>` → entry id, `#<key>` → hand-outs
 * - `conv:{<id>}:lease`            STRING token of the instance draining the conversation, PX = leaseTtlMs
 * - `conv:{<id>}:in:<messageKey>`  STRING "1": the message was queued once (redeliveries are not), PX 26 h
 * The queue and its messages expire 26 h after the last offer.
 *
 * How nothing is lost: the webhook is answered after `append` (XADD, then XREADGROUP takes the
 * new entries for this instance, in one Lua call). An entry stays pending in the group until
 * its turn is over (`next` acknowledges it), whoever ran it. An instance that dies leaves its
 * entries pending and its lease expiring; `recover` (XAUTOCLAIM past `claimIdleMs`) hands them
 * to a live instance, which offers them again and, once the lease is free, drains the queue.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationId, InboundMessage } from '../../core/types.ts';
import { conversationIdOf } from '../../core/types.ts';
import { silentLogger, type InboundLog, type LoggedInbound, type Logger, type OfferOutcome } from '../../core/ports.ts';
import { ACK, APPEND, EXTEND, NEXT, OFFER, RELEASE } from './inbound-scripts.ts';
import { pxOf, redisCall } from './redis-call.ts';
import type { RedisClient } from './redis-client-type.ts';

/** The stream (one hash slot of its own). */
export const INBOUND_STREAM = 'inbound:{inbound}:log';
const GROUP = 'turns';
/** How long a message's "queued once" marker and an idle queue are kept: longer than platforms redeliver. */
const QUEUE_TTL_MS = 26 * 3_600_000;

/** The keys of one conversation's queue. */
export function inboundKeys(id: ConversationId): { queue: string; messages: string; lease: string; marker: (messageKey: string) => string } {
  const base = `conv:{${id}}`;
  return { queue: `${base}:inq`, messages: `${base}:inmsg`, lease: `${base}:lease`, marker: (k) => `${base}:in:${k}` };
}

/** Options of {@link RedisInboundLog}; durations in ms. */
export interface RedisInboundLogOptions {
  readonly redis: RedisClient;
  /** Lease lifetime unless extended. Default 10 000. */
  readonly leaseTtlMs?: number;
  /** An entry unacknowledged this long is taken over by `recover`. Default 10 000. */
  readonly claimIdleMs?: number;
  /** Entries the stream keeps at most (approximately); the oldest are cut past it. Default 100 000. */
  readonly maxLength?: number;
  readonly logger?: Logger;
}

/** Stream entries as XREADGROUP / XAUTOCLAIM give them: [id, [field, value, …]]. */
type RawEntry = [string, string[]] | null;

/** {@link InboundLog} on Redis (see the file's comment). */
export class RedisInboundLog implements InboundLog {
  readonly leaseTtlMs: number;
  readonly #redis: RedisClient;
  readonly #claimIdleMs: number;
  readonly #maxLength: number;
  readonly #logger: Logger;
  /** This instance's consumer name, and the prefix of its lease tokens. */
  readonly #me = randomUUID();
  #prunedAtMs = 0;

  constructor(options: RedisInboundLogOptions) {
    this.#redis = options.redis;
    this.leaseTtlMs = options.leaseTtlMs ?? 10_000;
    this.#claimIdleMs = options.claimIdleMs ?? 10_000;
    this.#maxLength = options.maxLength ?? 100_000;
    this.#logger = (options.logger ?? silentLogger).child({ component: 'inbound-log' });
  }

  async append(message: InboundMessage): Promise<{ own: LoggedInbound; taken: readonly LoggedInbound[] }> {
    const order = message.order ?? message.sentAtMs;
    const json = JSON.stringify({ m: message, o: order });
    const [id, read] = (await APPEND.run(this.#redis, 'inbound append', [INBOUND_STREAM], [GROUP, this.#me, this.#maxLength, 1, json])) as [string, unknown];
    const taken = (await this.#entries(streamEntriesOf(read))).filter((e) => e.entryId !== id);
    return { own: { entryId: id, message, order, attempt: 0 }, taken };
  }

  async offer(entry: LoggedInbound, mayTakeOwn: boolean): Promise<OfferOutcome> {
    const id = conversationIdOf(entry.message.channel, entry.message.chatId);
    const k = inboundKeys(id);
    const token = `${this.#me}:${randomUUID()}`;
    const json = JSON.stringify({ m: entry.message, o: entry.order });
    const args = [entry.message.id, entry.order, json, entry.entryId, QUEUE_TTL_MS, token, pxOf(this.leaseTtlMs), `${this.#me}:`, mayTakeOwn ? '1' : '0', QUEUE_TTL_MS];
    const reply = (await OFFER.run(this.#redis, 'inbound offer', [k.queue, k.messages, k.lease, k.marker(entry.message.id)], args)) as unknown[];
    if (reply[0] === 'queued') return { kind: 'queued' };
    if (reply[0] === 'done') {
      await this.#ack([entry.entryId]);
      return { kind: 'done' };
    }
    const next = headOf(reply);
    if (next === null) throw new Error(`damaged inbound queue of ${id}`);
    return { kind: 'drain', lease: token, next };
  }

  async next(id: ConversationId, lease: string, done: LoggedInbound): Promise<LoggedInbound | null> {
    const k = inboundKeys(id);
    const reply = (await NEXT.run(this.#redis, 'inbound next', [k.queue, k.messages, k.lease], [done.message.id, lease, pxOf(this.leaseTtlMs)])) as unknown[];
    await this.#ack([done.entryId]);
    if (reply[0] === 'lost') this.#logger.warn({}, 'conversation lease lost while draining; another instance goes on');
    return reply[0] === 'next' ? headOf(reply) : null;
  }

  async extend(id: ConversationId, lease: string): Promise<boolean> {
    return Number(await EXTEND.run(this.#redis, 'inbound lease extend', [inboundKeys(id).lease], [lease, pxOf(this.leaseTtlMs)])) === 1;
  }

  async release(id: ConversationId, lease: string): Promise<void> {
    await RELEASE.run(this.#redis, 'inbound lease release', [inboundKeys(id).lease], [lease]);
  }

  async recover(): Promise<readonly LoggedInbound[]> {
    const raw: RawEntry[] = [];
    let cursor = '0-0';
    do {
      const reply = (await this.#withGroup(() => redisCall('inbound recover', () => this.#redis.xautoclaim(INBOUND_STREAM, GROUP, this.#me, this.#claimIdleMs, cursor, 'COUNT', 100)))) as [string, RawEntry[]];
      cursor = reply[0];
      raw.push(...reply[1]);
    } while (cursor !== '0-0' && raw.length < 1_000);
    const fresh = await this.#withGroup(() => redisCall('inbound recover', () => this.#redis.xreadgroup('GROUP', GROUP, this.#me, 'COUNT', 200, 'STREAMS', INBOUND_STREAM, '>')));
    raw.push(...streamEntriesOf(fresh));
    await this.#pruneConsumers();
    return this.#entries(raw);
  }

  /** Acknowledges and deletes entries (their turns are over, or they were redeliveries). */
  async #ack(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await ACK.run(this.#redis, 'inbound ack', [INBOUND_STREAM], [GROUP, ...ids]);
  }

  /** Runs `call`; when the group is missing (a new or emptied Redis), creates it and runs `call` again. */
  async #withGroup<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof Error) || !/NOGROUP/.test(err.message)) throw err;
      await redisCall('inbound group', () => this.#redis.xgroup('CREATE', INBOUND_STREAM, GROUP, '0', 'MKSTREAM')).catch((e: unknown) => {
        if (!(e instanceof Error) || !/BUSYGROUP/.test(e.message)) throw e;
      });
      return call();
    }
  }

  /** Drops consumers (instances gone) with nothing pending, idle for an hour; at most every 10 minutes. */
  async #pruneConsumers(): Promise<void> {
    if (Date.now() - this.#prunedAtMs < 600_000) return;
    this.#prunedAtMs = Date.now();
    const consumers = (await redisCall('inbound consumers', () => this.#redis.xinfo('CONSUMERS', INBOUND_STREAM, GROUP))) as unknown[][];
    for (const c of consumers) {
      const f = new Map<string, unknown>();
      for (let i = 0; i + 1 < c.length; i += 2) f.set(String(c[i]), c[i + 1]);
      if (f.get('name') !== this.#me && Number(f.get('pending')) === 0 && Number(f.get('idle')) > 3_600_000) {
        await redisCall('inbound consumers', () => this.#redis.xgroup('DELCONSUMER', INBOUND_STREAM, GROUP, String(f.get('name'))));
      }
    }
  }

  /** Raw stream entries as logged messages (damaged ones acknowledged away and logged). */
  async #entries(raw: readonly RawEntry[]): Promise<LoggedInbound[]> {
    const out: LoggedInbound[] = [];
    const damaged: string[] = [];
    for (const entry of raw) {
      if (entry === null) continue;
      const parsed = parseLogged(entry[0], fieldOf(entry[1], 'm'), 0);
      if (parsed === null) damaged.push(entry[0]);
      else out.push(parsed);
    }
    if (damaged.length > 0) {
      this.#logger.error({ entries: damaged.length }, 'unreadable inbound log entries dropped');
      await this.#ack(damaged);
    }
    return out;
  }
}

/** The value of `name` in a stream entry's [field, value, …]. */
function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** XREADGROUP's reply ([[stream, entries]] or null) as its entries. */
function streamEntriesOf(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const first = reply[0] as [string, RawEntry[]] | undefined;
  return Array.isArray(first?.[1]) ? first[1] : [];
}

/** A head reply {kind, key, json, before, entry id} as a logged message. */
function headOf(reply: readonly unknown[]): LoggedInbound | null {
  return parseLogged(String(reply[4] ?? ''), typeof reply[2] === 'string' ? reply[2] : undefined, Number(reply[3] ?? 0));
}

/** Our own JSON back as a logged message; null when it is not one. */
function parseLogged(entryId: string, json: string | undefined, attempt: number): LoggedInbound | null {
  if (json === undefined || entryId === '') return null;
  try {
    const v = JSON.parse(json) as { m?: Partial<InboundMessage>; o?: unknown };
    const m = v.m;
    if (!m || typeof m.id !== 'string' || typeof m.channel !== 'string' || typeof m.chatId !== 'string' || typeof m.kind !== 'string' || typeof v.o !== 'number') return null;
    return { entryId, message: m as InboundMessage, order: v.o, attempt };
  } catch {
    return null;
  }
}
