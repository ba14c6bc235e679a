/**
 * Sliding-window budgets in Redis, shared by every instance: one sorted set per window,
 * `budget:{<group>}:<key>` (after the client's prefix), scored by the time of each take and
 * expiring one window after the last. The `{…}` hash tag keeps one check's windows on one slot.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-client-type.ts';
import type { BudgetDecision, BudgetWindow, RateBudget } from '../../core/ports.ts';
import { LuaScript } from './redis-call.ts';

/**
 * KEYS = the windows. ARGV[1] = now (ms), ARGV[2] = a unique member, then per window its limit
 * and its length (ms). All windows are checked first; one full window refuses the take (nothing
 * charged) and returns {0, its index, ms until it has room}; otherwise every window is charged.
 */
const TAKE = new LuaScript(`
local now = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[1 + 2 * i])
  local win = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - win)
  local n = redis.call('ZCARD', key)
  if n >= limit then
    local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    local retry = win
    if oldest[2] then retry = tonumber(oldest[2]) + win - now end
    return {0, i, retry}
  end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 + 2 * i]))
end
return {1}`);

/** Options of {@link RedisRateBudget}. */
export interface RedisRateBudgetOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: RedisClient;
  /** The hash tag of every key (one slot per group). Default `budget`. */
  readonly group?: string;
}

/** {@link RateBudget} on Redis sorted sets; rejects with `StoreUnavailableError` while Redis is away. */
export class RedisRateBudget implements RateBudget {
  readonly #redis: RedisClient;
  readonly #group: string;

  constructor(options: RedisRateBudgetOptions) {
    this.#redis = options.redis;
    this.#group = options.group ?? 'budget';
  }

  /** The Redis key of a window (without the client's prefix). */
  keyOf(key: string): string {
    return `budget:{${this.#group}}:${key}`;
  }

  async take(windows: readonly BudgetWindow[], nowMs: number): Promise<BudgetDecision> {
    if (windows.length === 0) return { ok: true };
    const now = Math.floor(nowMs);
    const member = `${now}:${randomBytes(6).toString('hex')}`;
    const args: (string | number)[] = [now, member];
    for (const w of windows) args.push(w.limit, Math.max(1, Math.ceil(w.windowMs)));
    const reply = (await TAKE.run(this.#redis, 'budget take', windows.map((w) => this.keyOf(w.key)), args)) as number[];
    if (Number(reply[0]) === 1) return { ok: true };
    const full = windows[Number(reply[1]) - 1] ?? windows[0]!;
    return { ok: false, key: full.key, retryAfterMs: Math.max(1, Number(reply[2])) };
  }
}
