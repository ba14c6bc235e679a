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
 * its turn is over and its queue moved on (`next`, or the store's FINISH), whoever ran it; its
 * acknowledgement then goes with the next append (or on its own after `ackDelayMs`). Until then
 * a recovered entry is found done by the offer (its marker stays) and only acknowledged.
 *
 * Round trips of a usual message: the append, the offer (which also starts the turn: seen key,
 * lock, state; see OFFER), and the turn's end (state, transcript, unlock and the queue's next:
 * turn-scripts.ts, FINISH). The stream and the conversation are two hash slots, so the append
 * cannot join the others on a cluster. An instance that dies leaves its
 * entries pending and its lease expiring; `recover` (XAUTOCLAIM past `claimIdleMs`) hands them
 * to a live instance, which offers them again and, once the lease is free, drains the queue.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationId, InboundMessage } from '../../core/types.ts';
import { conversationIdOf } from '../../core/types.ts';
import { silentLogger, type InboundLog, type LoggedInbound, type Logger, type OfferOutcome, type TurnStart } from '../../core/ports.ts';
import { Cluster } from 'ioredis';
import { ACK, APPEND, APPEND_OFFER, EXTEND, NEXT, OFFER, RELEASE } from './inbound-scripts.ts';
import { pxOf, redisCall } from './redis-call.ts';
import type { RedisClient } from './redis-client-type.ts';
import { conversationKeys, inboundKeys, type TurnStarts } from './conversation-keys.ts';
import { fieldOf, headOf, parseLogged, streamEntriesOf, type RawEntry } from './inbound-entries.ts';

export { inboundKeys } from './conversation-keys.ts';

/** The stream (one hash slot of its own). */
export const INBOUND_STREAM = 'inbound:{inbound}:log';
const GROUP = 'turns';
/** How long a message's "queued once" marker and an idle queue are kept: longer than platforms redeliver. */
const QUEUE_TTL_MS = 26 * 3_600_000;
/** Acknowledgements sent in one call at most. */
const MAX_ACKS = 100;


/** Options of {@link RedisInboundLog}; durations in ms. */
export interface RedisInboundLogOptions {
  readonly redis: RedisClient;
  /** Lease lifetime unless extended. Default 10 000. */
  readonly leaseTtlMs?: number;
  /** An entry unacknowledged this long is taken over by `recover`. Default 10 000. */
  readonly claimIdleMs?: number;
  /** Entries the stream keeps at most (approximately); the oldest are cut past it. Default 100 000. */
  readonly maxLength?: number;
  /**
   * How long a finished turn's acknowledgement may wait for the next append to carry it before it
   * is sent on its own. Default 20.
   */
  readonly ackDelayMs?: number;
  /**
   * When given, an offer that hands out the message just offered also starts its turn in the
   * same step (the seen key recorded, the conversation's lock taken, its state read: what the
   * conversation store's withLockOnce would do first), with the store's lock tokens (`starts`,
   * RedisConversationStore.turnStarts) and the engine's de-duplication time.
   */
  readonly turnStart?: { readonly starts: TurnStarts; readonly seenTtlMs: number };
  readonly logger?: Logger;
}


/** An offer's keys and arguments, and its turn's start (see RedisInboundLog.#offerCall). */
interface OfferCall {
  readonly id: ConversationId;
  /** The lease token. */
  readonly token: string;
  readonly keys: string[];
  readonly args: (string | number)[];
  /** The turn's lock token, when the offer may start it. */
  readonly lock: string | undefined;
  /** The lock token is no longer live (the offer did not take the lock, or failed). */
  readonly end: () => void;
}

/** {@link InboundLog} on Redis (see the file's comment). */
export class RedisInboundLog implements InboundLog {
  readonly leaseTtlMs: number;
  readonly #redis: RedisClient;
  readonly #claimIdleMs: number;
  readonly #maxLength: number;
  readonly #logger: Logger;
  readonly #ackDelayMs: number;
  readonly #turnStart: { readonly starts: TurnStarts; readonly seenTtlMs: number } | undefined;
  /** This instance's consumer name, and the prefix of its lease tokens. */
  readonly #me = randomUUID();
  #prunedAtMs = 0;
  /** Entries whose turns are over, not acknowledged yet: they go with the next append, or on their own after ackDelayMs. */
  #acks: string[] = [];
  #ackTimer: NodeJS.Timeout | undefined;
  #ackFlush: Promise<void> = Promise.resolve();

  constructor(options: RedisInboundLogOptions) {
    this.#redis = options.redis;
    this.leaseTtlMs = options.leaseTtlMs ?? 10_000;
    this.#claimIdleMs = options.claimIdleMs ?? 10_000;
    this.#maxLength = options.maxLength ?? 100_000;
    this.#ackDelayMs = options.ackDelayMs ?? 20;
    this.#turnStart = options.turnStart;
    if (!(this.#redis instanceof Cluster)) this.appendOffer = (message, mayTakeOwn) => this.#appendOffer(message, mayTakeOwn);
    this.#logger = (options.logger ?? silentLogger).child({ component: 'inbound-log' });
  }

  async append(message: InboundMessage): Promise<{ own: LoggedInbound; taken: readonly LoggedInbound[] }> {
    const order = message.order ?? message.sentAtMs;
    const json = JSON.stringify({ m: message, o: order });
    const [id, read] = (await this.#withAcks((acks) => APPEND.run(this.#redis, 'inbound append', [INBOUND_STREAM], [GROUP, this.#me, this.#maxLength, 1, json, ...acks]))) as [string, unknown];
    const taken = (await this.#entries(streamEntriesOf(read))).filter((e) => e.entryId !== id);
    return { own: { entryId: id, message, order, attempt: 0 }, taken };
  }

  /** Runs an appending call with the acknowledgements waiting; they wait again when it fails (acknowledging twice is harmless). */
  async #withAcks<T>(call: (acks: readonly string[]) => Promise<T>): Promise<T> {
    const acks = this.#acks.splice(0, MAX_ACKS);
    try {
      return await call(acks);
    } catch (err) {
      if (acks.length > 0) this.#queueAcks(acks);
      throw err;
    }
  }

  /**
   * APPEND_OFFER: `append` and `offer` (starting the turn) in one step; set in the constructor
   * only where the stream and a conversation's keys may meet in one script (not a cluster).
   */
  readonly appendOffer?: (message: InboundMessage, mayTakeOwn: boolean) => Promise<{ own: LoggedInbound; taken: readonly LoggedInbound[]; outcome: OfferOutcome | null }>;

  async #appendOffer(message: InboundMessage, mayTakeOwn: boolean): Promise<{ own: LoggedInbound; taken: readonly LoggedInbound[]; outcome: OfferOutcome | null }> {
    const order = message.order ?? message.sentAtMs;
    const call = this.#offerCall({ entryId: '', message, order, attempt: 0 }, mayTakeOwn, true);
    const [key, orderArg, json, , markerPx, token, leasePx, prefix, mayTake, queuePx, lock = '', lockPx = 1, seenPx = 1] = call.args;
    const args = [GROUP, this.#me, this.#maxLength, 1, json!, key!, orderArg!, markerPx!, token!, leasePx!, prefix!, mayTake!, queuePx!, lock, lockPx, seenPx];
    let reply: [string, unknown, unknown[]];
    try {
      reply = (await this.#withAcks((acks) => APPEND_OFFER.run(this.#redis, 'inbound append and offer', [INBOUND_STREAM, ...call.keys], [...args, ...acks]))) as [string, unknown, unknown[]];
    } catch (err) {
      call.end();
      throw err;
    }
    const [id, read, offered] = reply;
    const own = { entryId: id, message, order, attempt: 0 };
    const taken = (await this.#entries(streamEntriesOf(read))).filter((e) => e.entryId !== id);
    if (offered[0] !== 'error') return { own, taken, outcome: this.#outcome(own, call, offered) };
    call.end();
    this.#logger.warn({ err: String(offered[1]).slice(0, 300) }, 'inbound log: appended but not offered; recovered later');
    return { own, taken, outcome: null };
  }

  async offer(entry: LoggedInbound, mayTakeOwn: boolean, startTurn = false): Promise<OfferOutcome> {
    const call = this.#offerCall(entry, mayTakeOwn, startTurn);
    let reply: unknown[];
    try {
      reply = (await OFFER.run(this.#redis, 'inbound offer', call.keys, call.args)) as unknown[];
    } catch (err) {
      call.end();
      throw err;
    }
    return this.#outcome(entry, call, reply);
  }

  /**
   * OFFER's keys and arguments for `entry`; with `startTurn` (and turnStart) the turn's start
   * too, whose lock token is live until `end` (see TurnStarts) or until the turn it starts is over.
   */
  #offerCall(entry: LoggedInbound, mayTakeOwn: boolean, startTurn: boolean): OfferCall {
    const id = conversationIdOf(entry.message.channel, entry.message.chatId);
    const k = inboundKeys(id);
    const token = `${this.#me}:${randomUUID()}`;
    const json = JSON.stringify({ m: entry.message, o: entry.order });
    const args: (string | number)[] = [entry.message.id, entry.order, json, entry.entryId, QUEUE_TTL_MS, token, pxOf(this.leaseTtlMs), `${this.#me}:`, mayTakeOwn ? '1' : '0', QUEUE_TTL_MS];
    const keys = [k.queue, k.messages, k.lease, k.marker(entry.message.id)];
    const starts = startTurn && entry.attempt === 0 ? this.#turnStart?.starts : undefined;
    // The turn's lock token: the store's, live (never taken over as stale) until the turn is over.
    const lock = starts?.begin(id);
    if (starts && lock !== undefined) {
      const c = conversationKeys(id);
      keys.push(c.seen(entry.message.id), c.lock, c.state);
      args.push(lock, pxOf(starts.lockTtlMs), pxOf(this.#turnStart!.seenTtlMs));
    }
    return { id, token, keys, args, lock, end: () => lock !== undefined && starts?.end(id, lock) };
  }

  /** OFFER's reply as an outcome; a lock token the offer did not use is no longer live. */
  #outcome(entry: LoggedInbound, call: OfferCall, reply: readonly unknown[]): OfferOutcome {
    const next = reply[0] === 'drain' ? headOf(reply) : null;
    const started = call.lock !== undefined && next !== null && reply[5] === call.lock;
    if (!started) call.end();
    if (reply[0] === 'queued') return { kind: 'queued' };
    if (reply[0] === 'done') {
      this.#queueAcks([entry.entryId]);
      return { kind: 'done' };
    }
    if (next === null) throw new Error(`damaged inbound queue of ${call.id}`);
    if (!started || call.lock === undefined) return { kind: 'drain', lease: call.token, next };
    return { kind: 'drain', lease: call.token, next, start: { lock: call.lock, state: typeof reply[6] === 'string' ? reply[6] : null } };
  }

  async abandon(id: ConversationId, start: TurnStart): Promise<void> {
    await RELEASE.run(this.#redis, 'turn lock release', [conversationKeys(id).lock], [start.lock]).catch(() => undefined);
    this.#turnStart?.starts.end(id, start.lock);
  }

  async next(id: ConversationId, lease: string, done: LoggedInbound): Promise<LoggedInbound | null> {
    const k = inboundKeys(id);
    const reply = (await NEXT.run(this.#redis, 'inbound next', [k.queue, k.messages, k.lease], [done.message.id, lease, pxOf(this.leaseTtlMs)])) as unknown[];
    this.#queueAcks([done.entryId]);
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

  acknowledge(done: LoggedInbound): void {
    this.#queueAcks([done.entryId]);
  }

  async flush(): Promise<void> {
    while (this.#acks.length > 0) await this.#flushAcks();
    await this.#ackFlush;
  }

  /**
   * Acknowledges `ids` soon: with the next append, or on their own once ackDelayMs has passed.
   * Until then they stay pending in the group; that is safe, because their queue no longer holds
   * them: should this instance die first, recovery offers them again and the offer finds them
   * done (their "queued once" markers stay), and acknowledges them.
   */
  #queueAcks(ids: readonly string[]): void {
    this.#acks.push(...ids);
    if (this.#acks.length >= MAX_ACKS) void this.#flushAcks();
    else if (this.#ackTimer === undefined) {
      this.#ackTimer = setTimeout(() => void this.#flushAcks(), this.#ackDelayMs);
      this.#ackTimer.unref();
    }
  }

  /** Sends the waiting acknowledgements on their own; a failure leaves them to recovery (see #queueAcks). */
  #flushAcks(): Promise<void> {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    const ids = this.#acks.splice(0, MAX_ACKS);
    if (this.#acks.length > 0) this.#queueAcks([]);
    if (ids.length === 0) return this.#ackFlush;
    this.#ackFlush = this.#ack(ids).catch((err: unknown) => {
      this.#logger.warn({ err: (err as Error).message, entries: ids.length }, 'inbound log: acknowledgements not written; recovery acknowledges them later');
    });
    return this.#ackFlush;
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
