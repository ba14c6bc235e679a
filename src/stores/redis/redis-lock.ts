/**
 * A lock on one Redis key held by a random token: SET NX PX to take it, Lua
 * compare-and-delete to release it, compare-and-PEXPIRE to keep it while work runs long.
 * A crashed holder's lock simply expires after `ttlMs`.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LockTimeoutError } from '../../core/errors.ts';
import { LuaScript, pxOf, redisCall, sleep } from './redis-call.ts';

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

/** SET NX PX, and when taken, the value of KEYS[2] in the same step: {1, value} or {0}. */
const ACQUIRE_AND_READ = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return {1, redis.call('GET', KEYS[2])}
end
return {0}`);

/**
 * The first attempt of a turn that must run once per message: SET NX the message's seen key
 * (KEYS[1], PX ARGV[3]); when it was already there, {-1}. Otherwise as ACQUIRE_AND_READ on
 * KEYS[2] and KEYS[3]: {1, value}, or {0} when the lock is busy (the key stays recorded).
 */
const SEEN_ACQUIRE_AND_READ = new LuaScript(`
if not redis.call('SET', KEYS[1], '1', 'PX', ARGV[3], 'NX') then
  return {-1}
end
if redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then
  return {1, redis.call('GET', KEYS[3])}
end
return {0}`);

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
    const token = randomUUID();
    for (;;) {
      const ok = await redisCall('lock', () => this.#redis.set(key, token, 'PX', pxOf(this.ttlMs), 'NX'));
      if (ok === 'OK') return token;
      await this.#pause(deadlineMs, label);
    }
  }

  /**
   * Like {@link RedisLock.acquire}, and once the lock is taken reads the string at `readKey`
   * in the same step (one round trip: what the holder would otherwise GET first).
   * Resolves the token and that value (null when the key does not exist).
   */
  async acquireAndRead(key: string, readKey: string, deadlineMs: number, label: string): Promise<{ token: string; value: string | null }> {
    return this.#acquireAndRead(randomUUID(), key, readKey, deadlineMs, label);
  }

  /**
   * {@link RedisLock.acquireAndRead} for work that must run once: first records `seenKey`
   * (SET NX PX `seenTtlMs`) in the same step, and resolves null, without the lock, when it was
   * already recorded. Once recorded, the key stays even if the lock is never had.
   */
  async acquireOnceAndRead(
    seenKey: string,
    seenTtlMs: number,
    key: string,
    readKey: string,
    deadlineMs: number,
    label: string,
  ): Promise<{ token: string; value: string | null } | null> {
    const token = randomUUID();
    const reply = (await SEEN_ACQUIRE_AND_READ.run(this.#redis, 'lock', [seenKey, key, readKey], [token, pxOf(this.ttlMs), pxOf(seenTtlMs)])) as [number, string | null | undefined];
    if (reply[0] === -1) return null;
    if (reply[0] === 1) return { token, value: reply[1] ?? null };
    await this.#pause(deadlineMs, label);
    return this.#acquireAndRead(token, key, readKey, deadlineMs, label);
  }

  async #acquireAndRead(token: string, key: string, readKey: string, deadlineMs: number, label: string): Promise<{ token: string; value: string | null }> {
    for (;;) {
      const reply = (await ACQUIRE_AND_READ.run(this.#redis, 'lock', [key, readKey], [token, pxOf(this.ttlMs)])) as [number, string | null | undefined];
      if (reply[0] === 1) return { token, value: reply[1] ?? null };
      await this.#pause(deadlineMs, label);
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

  /** Waits a jittered moment before the next attempt; `LockTimeoutError` once `deadlineMs` has passed. */
  async #pause(deadlineMs: number, label: string): Promise<void> {
    const leftMs = deadlineMs - Date.now();
    if (leftMs <= 0) throw new LockTimeoutError(label);
    const pauseMs = this.#retryMinMs + Math.random() * (this.#retryMaxMs - this.#retryMinMs);
    await sleep(Math.min(pauseMs, leftMs));
  }
}
