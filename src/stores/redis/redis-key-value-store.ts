/**
 * The small shared key-value store on Redis, under `kv:<key>` (after the client's prefix).
 */
import type { RedisClient } from './redis-client-type.ts';
import type { KeyValueStore } from '../../core/ports.ts';
import { pxOf, redisCall } from './redis-call.ts';

/** Options of {@link RedisKeyValueStore}. */
export interface RedisKeyValueStoreOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: RedisClient;
}

const kvKey = (key: string): string => `kv:${key}`;

/**
 * {@link KeyValueStore} on Redis strings. `set` without `ttlMs` clears an earlier expiry.
 * Fails with `StoreUnavailableError` while Redis is unreachable.
 */
export class RedisKeyValueStore implements KeyValueStore {
  readonly #redis: RedisClient;

  constructor(options: RedisKeyValueStoreOptions) {
    this.#redis = options.redis;
  }

  async get(key: string): Promise<string | null> {
    return redisCall('kv get', () => this.#redis.get(kvKey(key)));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    await redisCall('kv set', () =>
      ttlMs === undefined
        ? this.#redis.set(kvKey(key), value)
        : this.#redis.set(kvKey(key), value, 'PX', pxOf(ttlMs)),
    );
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ok = await redisCall('kv setIfAbsent', () =>
      this.#redis.set(kvKey(key), value, 'PX', pxOf(ttlMs), 'NX'),
    );
    return ok === 'OK';
  }

  async delete(key: string): Promise<void> {
    await redisCall('kv delete', () => this.#redis.del(kvKey(key)));
  }
}
