/**
 * A lock on one Redis key held by a random token: SET NX PX to take it, Lua
 * compare-and-delete to release it, compare-and-PEXPIRE to keep it while work runs long.
 * A crashed holder's lock simply expires after `ttlMs`.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LockTimeoutError } from '../../core/errors.ts';
import { LuaScript, pxOf, redisCall, sleep } from './redis-call.ts';

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

/** Options of {@link RedisLock}; durations in ms. */
export interface RedisLockOptions {
  /** Lifetime of a taken lock unless extended. Default 30 000. */
  readonly ttlMs?: number;
  /** Shortest and longest pause between two attempts (a random pick in between). Default 10–40. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

/** Token-based Redis locks (not fair across instances; put a local FIFO in front). */
export class RedisLock {
  readonly ttlMs: number;
  readonly #redis: Redis;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;

  constructor(redis: Redis, options: RedisLockOptions = {}) {
    this.#redis = redis;
    this.ttlMs = options.ttlMs ?? 30_000;
    this.#retryMinMs = options.retryMinMs ?? 10;
    this.#retryMaxMs = Math.max(this.#retryMinMs, options.retryMaxMs ?? 40);
  }

  /**
   * Takes the lock at `key`, retrying with small jittered pauses until `deadlineMs`
   * (epoch ms). Resolves the token that proves ownership. Rejects with `LockTimeoutError`
   * (naming `label`) at the deadline, `StoreUnavailableError` at once when Redis is down.
   */
  async acquire(key: string, deadlineMs: number, label: string): Promise<string> {
    const token = randomBytes(16).toString('hex');
    for (;;) {
      const ok = await redisCall('lock', () => this.#redis.set(key, token, 'PX', pxOf(this.ttlMs), 'NX'));
      if (ok === 'OK') return token;
      const leftMs = deadlineMs - Date.now();
      if (leftMs <= 0) throw new LockTimeoutError(label);
      const pauseMs = this.#retryMinMs + Math.random() * (this.#retryMaxMs - this.#retryMinMs);
      await sleep(Math.min(pauseMs, leftMs));
    }
  }

  /** Releases the lock if `token` still holds it; false when it had expired or changed hands. */
  async release(key: string, token: string): Promise<boolean> {
    return (await RELEASE.run(this.#redis, 'unlock', [key], [token])) === 1;
  }

  /** Pushes the expiry `ttlMs` ahead if `token` still holds it; false otherwise. */
  async extend(key: string, token: string): Promise<boolean> {
    return (await EXTEND.run(this.#redis, 'lock extend', [key], [token, pxOf(this.ttlMs)])) === 1;
  }
}
