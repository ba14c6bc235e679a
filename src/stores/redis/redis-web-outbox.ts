/**
 * The web chat's outbox in Redis, shared by every instance: a long-poll held by one instance
 * is woken by a message appended through another.
 *
 * Keys (after the client's prefix; the `{…}` hash tag keeps one session on one slot), both
 * with PX = ttlMs (the conversation TTL), refreshed on every append (an append for a
 * conversation still at its greeting only makes sure they live the greeting lifetime):
 * - `web:{<sessionId>}:seq`     STRING, the session's latest seq (INCR)
 * - `web:{<sessionId>}:outbox`  LIST of JSON items, oldest first, trimmed to maxItems
 *
 * Wake-ups: each append publishes on the pub/sub channel `<prefix>web-outbox` (a channel of
 * its own, so the console's live events never see it) through a {@link RedisEventBus}; the
 * instance holds one subscription for all its long-polls. A long-poll reads the store again
 * when it wakes, so a lost notification only delays a message until the poll's timeout.
 */
import type { RedisClient } from './redis-client-type.ts';
import {
  silentLogger,
  type LiveEvent,
  type Logger,
  type WebOutboxDraft,
  type WebOutboxItem,
  type WebOutboxPage,
  type WebOutboxStore,
} from '../../core/ports.ts';
import { SessionWaiters } from '../session-waiters.ts';
import { DEFAULT_CONVERSATION_TTL_MS, DEFAULT_WEB_OUTBOX_MAX } from '../defaults.ts';
import { LuaScript, pxOf, redisCall } from './redis-call.ts';
import { RedisEventBus } from './redis-event-bus.ts';

/** Options of {@link RedisWebOutbox}. */
export interface RedisWebOutboxOptions {
  /** A client from `createRedisClient` (its key prefix applies to keys and the channel). */
  readonly redis: RedisClient;
  /** Idle lifetime of a session's outbox, ms (the conversation TTL). Default 30 days. */
  readonly ttlMs?: number;
  /** Messages kept per session. Default 50. */
  readonly maxItems?: number;
  /** Pub/sub channel name under the prefix. Default `web-outbox`. */
  readonly channel?: string;
  readonly logger?: Logger;
}

/** The Redis keys of one web chat session (without the client's prefix). */
export function webOutboxKeys(sessionId: string): { seq: string; outbox: string } {
  const base = `web:{${sessionId}}`;
  return { seq: `${base}:seq`, outbox: `${base}:outbox` };
}

/**
 * KEYS[1] = seq, KEYS[2] = outbox. ARGV[1] = the item as a JSON object without `seq`,
 * ARGV[2] = maxItems, ARGV[3] = ttlMs, ARGV[4] = pub/sub channel, ARGV[5] = notification,
 * ARGV[6] = '1' to keep the keys at least ttlMs (a longer remaining lifetime untouched).
 * Returns the new seq.
 */
const APPEND = new LuaScript(`
local seq = redis.call('INCR', KEYS[1])
redis.call('RPUSH', KEYS[2], '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
local px = tonumber(ARGV[3])
for i = 1, 2 do
  if ARGV[6] ~= '1' or redis.call('PTTL', KEYS[i]) < px then redis.call('PEXPIRE', KEYS[i], px) end
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return seq`);

/**
 * KEYS[1] = seq, KEYS[2] = outbox. ARGV[1] = afterSeq. Seqs of the kept items are consecutive
 * and end at the latest, so the items after `afterSeq` are the last (latest - afterSeq); all
 * of them when `afterSeq` is past the latest (the numbering started again).
 * Returns {latest} or {latest, items}.
 */
const READ = new LuaScript(`
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local after = tonumber(ARGV[1])
if after > seq then return {seq, redis.call('LRANGE', KEYS[2], 0, -1)} end
local n = seq - after
if n <= 0 then return {seq} end
return {seq, redis.call('LRANGE', KEYS[2], -n, -1)}`);

/** A stored item, or null when it is not one (never expected: logged and skipped). */
function parseItem(json: string): WebOutboxItem | null {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value !== 'object' || value === null) return null;
    const item = value as Record<string, unknown>;
    if (typeof item.seq !== 'number' || typeof item.text !== 'string' || !Array.isArray(item.buttons)) return null;
    return value as WebOutboxItem;
  } catch {
    return null;
  }
}

/**
 * {@link WebOutboxStore} on Redis. `append`, `read` and `cursor` fail fast with
 * `StoreUnavailableError` while Redis is unreachable; `wait` never rejects (while Redis is
 * down it waits for its timeout or abort).
 */
export class RedisWebOutbox implements WebOutboxStore {
  readonly #redis: RedisClient;
  readonly #ttlMs: number;
  readonly #maxItems: number;
  readonly #logger: Logger;
  readonly #bus: RedisEventBus;
  /** Pending `wait` calls by session id. */
  readonly #waiters = new SessionWaiters();
  /** Pending `wait` calls that checked the store and now listen for a wake-up. */
  readonly #listening = new Set<() => void>();
  #subscription: Promise<void> | undefined;
  #closed = false;

  constructor(options: RedisWebOutboxOptions) {
    this.#redis = options.redis;
    this.#ttlMs = options.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS;
    this.#maxItems = Math.max(1, options.maxItems ?? DEFAULT_WEB_OUTBOX_MAX);
    this.#logger = (options.logger ?? silentLogger).child({ component: 'web-outbox' });
    this.#bus = new RedisEventBus({ redis: options.redis, channel: options.channel ?? 'web-outbox', logger: this.#logger });
  }

  async append(sessionId: string, item: WebOutboxDraft, keepAtLeastMs?: number): Promise<number> {
    const keys = webOutboxKeys(sessionId);
    const { text, buttons, menuSeq, atMs, fromStaff, lang } = item;
    const notification: LiveEvent = { type: 'message', conversationId: `web:${sessionId}`, atMs };
    const seq = await APPEND.run(this.#redis, 'web outbox append', [keys.seq, keys.outbox], [
      JSON.stringify({ text, buttons, menuSeq, atMs, ...(fromStaff ? { fromStaff: true } : {}), ...(lang ? { lang } : {}) }),
      this.#maxItems,
      pxOf(keepAtLeastMs ?? this.#ttlMs),
      this.#bus.channel,
      JSON.stringify(notification),
      keepAtLeastMs === undefined ? '0' : '1',
    ]);
    return Number(seq);
  }

  async read(sessionId: string, afterSeq: number): Promise<WebOutboxPage> {
    const keys = webOutboxKeys(sessionId);
    const reply = (await READ.run(this.#redis, 'web outbox read', [keys.seq, keys.outbox], [afterSeq])) as [number, string[]?];
    const cursor = Number(reply[0]);
    // Past the latest seq: the numbering started again (RedisClient lost the session), all of it is new to the page.
    const after = afterSeq > cursor ? 0 : afterSeq;
    const items: WebOutboxItem[] = [];
    for (const json of reply[1] ?? []) {
      const item = parseItem(json);
      if (item === null) this.#logger.warn({}, 'malformed web outbox item skipped');
      else if (item.seq > after) items.push(item);
    }
    return { items, cursor };
  }

  async cursor(sessionId: string): Promise<number> {
    const seq = await redisCall('web outbox cursor', () => this.#redis.get(webOutboxKeys(sessionId).seq));
    return seq === null ? 0 : Number(seq);
  }

  async clear(sessionId: string): Promise<void> {
    await redisCall('web outbox clear', () => this.#redis.del(webOutboxKeys(sessionId).outbox));
  }

  wait(sessionId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted || this.#closed) return Promise.resolve();
    const waiter = this.#waiters.add(sessionId, timeoutMs, signal);
    void waiter.promise.then(() => this.#listening.delete(waiter.done));
    // Subscribed first, then checked: an append after the check is sure to wake us.
    void this.#subscribed()
      .then(() => (waiter.ended() ? undefined : this.cursor(sessionId)))
      .then(
        (seq) => {
          if (seq !== undefined && seq !== afterSeq) waiter.done();
          else if (!waiter.ended()) this.#listening.add(waiter.done);
        },
        (err: unknown) => {
          // Redis is down: wait for a wake-up (once it is back) or the timeout.
          this.#logger.debug({ err: (err as Error).message }, 'web outbox not checked before waiting');
        },
      );
    return waiter.promise;
  }

  /**
   * Pending `wait` calls on this instance that are subscribed, found nothing new and now listen
   * for a wake-up (for tests: past this point only a notification or the timeout ends them).
   */
  get waitingCount(): number {
    return this.#listening.size;
  }

  /** Ends every pending `wait` and closes the subscriber connection (not the shared client). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#waiters.wakeAll();
    await this.#bus.close();
  }

  /** One subscription per instance, made on the first `wait`. Never rejects. */
  #subscribed(): Promise<void> {
    this.#subscription ??= this.#bus
      .subscribe((event) => {
        if (!event.conversationId.startsWith('web:')) return;
        this.#waiters.wake(event.conversationId.slice('web:'.length));
      })
      .then(
        () => undefined,
        (err: unknown) => {
          this.#logger.warn({ err: (err as Error).message }, 'web outbox subscription failed');
          this.#subscription = undefined;
        },
      );
    return this.#subscription;
  }
}
