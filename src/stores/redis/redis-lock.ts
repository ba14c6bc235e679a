/**
 * A lock on one Redis key held by a token `<owner>:<random>`: SET NX PX to take it, Lua
 * compare-and-delete to release it, compare-and-PEXPIRE to keep it while work runs long.
 * A crashed holder's lock simply expires after `ttlMs`.
 *
 * Stale locks of our own: a lock can outlive its turn when the release is lost, e.g. Redis
 * went away while the turn ran and came back with persistence (AOF/RDB keep the key and its
 * absolute expiry). The `...AndRead` acquisitions take over a lock whose token carries this
 * lock's own `owner` at once instead of waiting for it to expire. That is only sound for
 * callers that hold an in-process lock on the key around the whole acquire–work–release
 * (the conversation store's FIFO): then no live turn of this owner can hold the Redis lock,
 * so a token of ours found there belongs to a turn that is over. Another owner's stale lock
 * still expires by itself after at most `ttlMs`. Tokens of ours handed out for work outside that
 * in-process lock (turns the inbound log starts with its offer) are named by `live` while that
 * work runs, and are never taken over.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-client-type.ts';
import { LockTimeoutError } from '../../core/errors.ts';
import { LuaScript, pxOf, redisCall, sleep } from './redis-call.ts';
import { slowNotDown, type TimeoutTriage } from './slow-or-down.ts';

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

/** True when the lock `held` is busy: another owner's (prefix ARGV[3]), or one of ours still live (ARGV[from…]). */
const BUSY = `
local function busy(held, from)
  if string.sub(held, 1, #ARGV[3]) ~= ARGV[3] then return true end
  for i = from, #ARGV do
    if ARGV[i] == held then return true end
  end
  return false
end`;

/**
 * Takes the lock KEYS[1] (token ARGV[1], PX ARGV[2]) when it is free or held by a token
 * starting with our owner prefix ARGV[3] (a turn of ours that is over, see above; not one of
 * the live tokens ARGV[4…]), and then
 * reads KEYS[2] in the same step: {1, value, 1 when a stale lock was taken over}, or {0}.
 * A lock already held by ARGV[1] itself (an earlier attempt whose reply was lost to a time-out)
 * is simply ours: {1, value, 0}.
 */
const ACQUIRE_AND_READ = new LuaScript(`${BUSY}
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, redis.call('GET', KEYS[2]), 0}
end
if held and busy(held, 4) then
  return {0}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, redis.call('GET', KEYS[2]), held and 1 or 0}`);

/**
 * The first attempt of a turn that must run once per message: records the message's seen key
 * (KEYS[1], PX ARGV[4]) with the attempt's token ARGV[1]; when another token recorded it, {-1}.
 * Then as ACQUIRE_AND_READ on KEYS[2] and KEYS[3] (live tokens ARGV[5…]): {1, value, stale}, or {0} when the lock is
 * busy (the key stays recorded). Running it twice with one token (a retry after a time-out whose
 * first run did happen) answers what the first run would have: the message is ours, and so is
 * the lock if it took it.
 */
const SEEN_ACQUIRE_AND_READ = new LuaScript(`${BUSY}
local seen = redis.call('GET', KEYS[1])
if seen and seen ~= ARGV[1] then
  return {-1}
end
if not seen then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4]) end
local held = redis.call('GET', KEYS[2])
if held == ARGV[1] then
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return {1, redis.call('GET', KEYS[3]), 0}
end
if held and busy(held, 5) then
  return {0}
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return {1, redis.call('GET', KEYS[3]), held and 1 or 0}`);

const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

/**
 * Default lock lifetime, ms: short, so that another instance's stale lock (its holder crashed,
 * or its release was lost in an outage) is gone before a waiting turn gives up (the engine
 * waits 15 s), and long next to the extension period (a third of it) while work runs.
 */
export const DEFAULT_LOCK_TTL_MS = 10_000;

/** What an acquisition that also read a key resolves: the token, the value, and whether a stale lock of ours was taken over. */
export interface HeldLock {
  readonly token: string;
  readonly value: string | null;
  readonly tookOverStale: boolean;
}

/** Options of {@link RedisLock}; durations in ms. */
export interface RedisLockOptions {
  /** Lifetime of a taken lock unless extended. Default {@link DEFAULT_LOCK_TTL_MS}. */
  readonly ttlMs?: number;
  /** Who takes the locks (part of every token). Default: a random id, one per RedisLock. */
  readonly owner?: string;
  /** Shortest and longest pause between two attempts (a random pick in between). Default 10–40. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /**
   * Tells a time-out this process caused (its event loop was late) from an outage: an acquiring
   * attempt that timed out that way is retried with the same token (the scripts are idempotent
   * per token). Without it every time-out counts as an outage.
   */
  readonly triage?: TimeoutTriage;
  /** Tokens of ours on the lock `key` held by live work outside the caller's in-process lock: never taken over. */
  readonly live?: (key: string) => readonly string[];
}

/** Token-based Redis locks (not fair across instances; put a local FIFO in front). */
export class RedisLock {
  readonly ttlMs: number;
  /** The prefix of every token this lock hands out (`<owner>:`). */
  readonly ownerPrefix: string;
  readonly #redis: RedisClient;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #triage: TimeoutTriage | undefined;
  readonly #live: (key: string) => readonly string[];
  #tokens = 0;

  constructor(redis: RedisClient, options: RedisLockOptions = {}) {
    this.#redis = redis;
    this.ttlMs = options.ttlMs ?? DEFAULT_LOCK_TTL_MS;
    // Short tokens: the seen key of every message holds one for a day.
    this.ownerPrefix = `${options.owner ?? randomBytes(9).toString('base64url')}:`;
    this.#retryMinMs = options.retryMinMs ?? 10;
    this.#retryMaxMs = Math.max(this.#retryMinMs, options.retryMaxMs ?? 40);
    this.#triage = options.triage;
    this.#live = options.live ?? (() => []);
  }

  /**
   * Takes the lock at `key`, retrying with small jittered pauses until `deadlineMs`
   * (epoch ms). Resolves the token that proves ownership. Rejects with `LockTimeoutError`
   * (naming `label`) at the deadline, `StoreUnavailableError` at once when Redis is down.
   */
  async acquire(key: string, deadlineMs: number, label: string): Promise<string> {
    const token = this.newToken();
    for (;;) {
      const ok = await redisCall('lock', () => this.#redis.set(key, token, 'PX', pxOf(this.ttlMs), 'NX'));
      if (ok === 'OK') return token;
      await this.#pause(deadlineMs, label);
    }
  }

  /**
   * Like {@link RedisLock.acquire}, and once the lock is taken reads the string at `readKey`
   * in the same step (one round trip: what the holder would otherwise GET first).
   * Resolves the token and that value (null when the key does not exist). Takes over a stale
   * lock of this owner at once: the caller must hold an in-process lock on `key` (see above).
   */
  async acquireAndRead(key: string, readKey: string, deadlineMs: number, label: string): Promise<HeldLock> {
    return this.#acquireAndRead(this.newToken(), key, readKey, deadlineMs, label);
  }

  /**
   * {@link RedisLock.acquireAndRead} for work that must run once: first records `seenKey`
   * (SET NX PX `seenTtlMs`) in the same step, and resolves null, without the lock, when it was
   * already recorded (by another attempt). Once recorded, the key stays even if the lock is
   * never had. A time-out this process caused is retried (see {@link RedisLockOptions.triage});
   * on any other failure, and at the deadline, the release of whatever the lost attempt may yet
   * take is queued behind it, so no lock is left behind for the next message to wait on.
   */
  async acquireOnceAndRead(
    seenKey: string,
    seenTtlMs: number,
    key: string,
    readKey: string,
    deadlineMs: number,
    label: string,
  ): Promise<HeldLock | null> {
    const token = this.newToken();
    const reply = await this.#attempt(SEEN_ACQUIRE_AND_READ, [seenKey, key, readKey], [token, pxOf(this.ttlMs), this.ownerPrefix, pxOf(seenTtlMs)], deadlineMs, label);
    if (reply[0] === -1) return null;
    if (reply[0] === 1) return held(token, reply);
    await this.#pause(deadlineMs, label);
    return this.#acquireAndRead(token, key, readKey, deadlineMs, label);
  }

  async #acquireAndRead(token: string, key: string, readKey: string, deadlineMs: number, label: string): Promise<HeldLock> {
    for (;;) {
      const reply = await this.#attempt(ACQUIRE_AND_READ, [key, readKey], [token, pxOf(this.ttlMs), this.ownerPrefix], deadlineMs, label);
      if (reply[0] === 1) return held(token, reply);
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

  /**
   * One acquiring script run for the lock `keys[1]` (`keys[0]` for the seen-and-lock script is
   * the seen key; the lock key is always second to last). See {@link RedisLock.acquireOnceAndRead}.
   */
  async #attempt(script: LuaScript, keys: readonly string[], args: readonly (string | number)[], deadlineMs: number, label: string): Promise<LockReply> {
    const token = String(args[0]);
    const lockKey = keys[keys.length - 2]!;
    for (;;) {
      const startedMs = Date.now();
      try {
        // The live tokens as they are now: a turn started while this one waited is one of them.
        return (await script.run(this.#redis, 'lock', keys, [...args, ...this.#live(lockKey)])) as LockReply;
      } catch (err) {
        if (!slowNotDown(this.#triage, this.#redis, err, startedMs, 'lock')) {
          this.#abandon(lockKey, token);
          throw err;
        }
      }
      try {
        await this.#pause(deadlineMs, label);
      } catch (err) {
        this.#abandon(lockKey, token);
        throw err;
      }
    }
  }

  /**
   * Queues the release of a lock an attempt whose reply was lost may still take: ioredis keeps
   * the attempt queued and Redis runs commands of one connection in order, so the release
   * comes after it. Best effort (while Redis is away it fails at once; the lock then expires).
   */
  #abandon(key: string, token: string): void {
    void this.release(key, token).catch(() => undefined);
  }

  /** A new token of this owner. */
  newToken(): string {
    return `${this.ownerPrefix}${(this.#tokens++).toString(36)}`;
  }

  /** Waits a jittered moment before the next attempt; `LockTimeoutError` once `deadlineMs` has passed. */
  async #pause(deadlineMs: number, label: string): Promise<void> {
    const leftMs = deadlineMs - Date.now();
    if (leftMs <= 0) throw new LockTimeoutError(label);
    const pauseMs = this.#retryMinMs + Math.random() * (this.#retryMaxMs - this.#retryMinMs);
    await sleep(Math.min(pauseMs, leftMs));
  }
}

/** What the acquiring scripts answer: {-1} seen, {0} busy, {1, value, stale}. */
type LockReply = [number, (string | null)?, number?];

function held(token: string, reply: LockReply): HeldLock {
  return { token, value: reply[1] ?? null, tookOverStale: reply[2] === 1 };
}
