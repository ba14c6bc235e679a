/**
 * Conversation state, transcript, de-duplication and locks in Redis.
 *
 * Keys (after the client's prefix; the `{…}` hash tag keeps one conversation on one slot):
 * - `conv:{<id>}:state`       STRING, the state as JSON, PX = ttlMs
 * - `conv:{<id>}:transcript`  LIST of JSON lines, oldest first, trimmed to transcriptMax, PX = ttlMs
 * - `conv:{<id>}:lock`        STRING, random token of the lock holder, PX = lockTtlMs
 * - `seen:<messageKey>`       STRING "1", PX = the ttlMs given to markSeen
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { silentLogger, type ConversationStore, type Logger } from '../../core/ports.ts';
import type { ConversationId, ConversationState, TranscriptEntry } from '../../core/types.ts';
import { DEFAULT_CONVERSATION_TTL_MS, DEFAULT_LOCK_WAIT_MS, DEFAULT_TRANSCRIPT_MAX } from '../defaults.ts';
import { KeyedFifoLock } from '../keyed-fifo-lock.ts';
import { pxOf, redisCall, toStoreError, withTimeout } from './redis-call.ts';
import { RedisLock } from './redis-lock.ts';

/** Options of {@link RedisConversationStore}; durations in ms. */
export interface RedisConversationStoreOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: Redis;
  /** Idle lifetime of state and transcript, refreshed together on save/append. Default 30 days. */
  readonly ttlMs?: number;
  /** Transcript lines kept. Default 50. */
  readonly transcriptMax?: number;
  /** Default wait of `withLock`. Default 10 000. */
  readonly lockWaitMs?: number;
  /** Lifetime of the Redis lock, extended every third of it while `fn` runs. Default 30 000. */
  readonly lockTtlMs?: number;
  /** `ping()` answers false after this long. Default 1 000. */
  readonly pingTimeoutMs?: number;
  readonly logger?: Logger;
}

/** The Redis keys of one conversation (without the client's prefix). */
export function conversationKeys(id: ConversationId): { state: string; transcript: string; lock: string } {
  const base = `conv:{${id}}`;
  return { state: `${base}:state`, transcript: `${base}:transcript`, lock: `${base}:lock` };
}

/** Runs a MULTI; rejects (mapped) when it or any of its commands failed. */
async function exec(op: string, multi: ChainableCommander): Promise<unknown[]> {
  const results = await redisCall(op, () => multi.exec());
  if (results === null) throw toStoreError(op, new Error('transaction aborted'));
  return results.map(([err, value]) => {
    if (err) throw toStoreError(op, err);
    return value;
  });
}

/**
 * {@link ConversationStore} on Redis. Every call fails fast with `StoreUnavailableError`
 * while Redis is unreachable (except `ping`, which answers false).
 */
export class RedisConversationStore implements ConversationStore {
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #transcriptMax: number;
  readonly #lockWaitMs: number;
  readonly #pingTimeoutMs: number;
  readonly #logger: Logger;
  readonly #redisLock: RedisLock;
  readonly #localLock = new KeyedFifoLock();

  constructor(options: RedisConversationStoreOptions) {
    this.#redis = options.redis;
    this.#ttlMs = options.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS;
    this.#transcriptMax = Math.max(1, options.transcriptMax ?? DEFAULT_TRANSCRIPT_MAX);
    this.#lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 1_000;
    this.#logger = (options.logger ?? silentLogger).child({ component: 'conversation-store' });
    this.#redisLock = new RedisLock(this.#redis, { ttlMs: options.lockTtlMs });
  }

  async get(id: ConversationId): Promise<ConversationState | null> {
    const json = await redisCall('get state', () => this.#redis.get(conversationKeys(id).state));
    if (json === null) return null;
    try {
      return JSON.parse(json) as ConversationState;
    } catch (err) {
      this.#logger.error({ err, conversationId: id }, 'unreadable conversation state dropped');
      return null;
    }
  }

  async save(state: ConversationState): Promise<void> {
    const keys = conversationKeys(state.id);
    const px = pxOf(this.#ttlMs);
    await exec(
      'save state',
      this.#redis
        .multi()
        .set(keys.state, JSON.stringify(state), 'PX', px)
        .pexpire(keys.transcript, px),
    );
  }

  async appendTranscript(id: ConversationId, entries: readonly TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const keys = conversationKeys(id);
    const px = pxOf(this.#ttlMs);
    await exec(
      'append transcript',
      this.#redis
        .multi()
        .rpush(keys.transcript, ...entries.map((e) => JSON.stringify(e)))
        .ltrim(keys.transcript, -this.#transcriptMax, -1)
        .pexpire(keys.transcript, px)
        .pexpire(keys.state, px),
    );
  }

  async transcript(id: ConversationId): Promise<TranscriptEntry[]> {
    const lines = await redisCall('read transcript', () =>
      this.#redis.lrange(conversationKeys(id).transcript, 0, -1),
    );
    const entries: TranscriptEntry[] = [];
    for (const line of lines) {
      try {
        entries.push(JSON.parse(line) as TranscriptEntry);
      } catch {
        this.#logger.warn({ conversationId: id }, 'unreadable transcript line skipped');
      }
    }
    return entries;
  }

  async erase(id: ConversationId): Promise<void> {
    const keys = conversationKeys(id);
    await redisCall('erase', () => this.#redis.del(keys.state, keys.transcript));
  }

  async markSeen(messageKey: string, ttlMs: number): Promise<boolean> {
    const ok = await redisCall('mark seen', () =>
      this.#redis.set(`seen:${messageKey}`, '1', 'PX', pxOf(ttlMs), 'NX'),
    );
    return ok === 'OK';
  }

  /**
   * Runs `fn` alone for `id` across every instance on this Redis. Callers on this instance
   * queue in call order (in-process FIFO), then take the Redis lock (SET NX PX, retried with
   * jittered pauses). `waitMs` bounds both waits together: `LockTimeoutError` after it.
   * `StoreUnavailableError` when Redis is down. The lock is extended while `fn` runs and
   * released with compare-and-delete; a failed release is logged (the lock then expires).
   */
  async withLock<T>(id: ConversationId, fn: () => Promise<T>, waitMs = this.#lockWaitMs): Promise<T> {
    const deadlineMs = Date.now() + waitMs;
    const releaseLocal = await this.#localLock.acquire(id, waitMs);
    try {
      const key = conversationKeys(id).lock;
      const token = await this.#redisLock.acquire(key, deadlineMs, id);
      const keeper = this.#keepLock(id, key, token);
      try {
        return await fn();
      } finally {
        clearInterval(keeper);
        await this.#redisLock.release(key, token).then(
          (released) => {
            if (!released) this.#logger.warn({ conversationId: id }, 'lock had expired before release');
          },
          (err: unknown) => this.#logger.warn({ err, conversationId: id }, 'lock release failed; it will expire'),
        );
      }
    } finally {
      releaseLocal();
    }
  }

  /** True when Redis answers PING within `pingTimeoutMs`. Never throws, never hangs. */
  async ping(): Promise<boolean> {
    if (this.#redis.status !== 'ready') return false;
    try {
      return (await withTimeout(this.#redis.ping(), this.#pingTimeoutMs, 'ping timed out')) === 'PONG';
    } catch {
      return false;
    }
  }

  #keepLock(id: ConversationId, key: string, token: string): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.#redisLock.extend(key, token).then(
        (kept) => {
          if (!kept) this.#logger.error({ conversationId: id }, 'conversation lock lost while held');
        },
        (err: unknown) => this.#logger.warn({ err, conversationId: id }, 'lock extend failed'),
      );
    }, Math.max(10, Math.floor(this.#redisLock.ttlMs / 3)));
    timer.unref();
    return timer;
  }
}
