/**
 * The Lua scripts behind RedisHandoffQueue: each change of a ticket touches its HASH and
 * the waiting/active sorted sets in one atomic step.
 *
 * KEYS[1] = ticket hash, KEYS[2] = waiting ZSET (score waitingSinceMs),
 * KEYS[3] = active ZSET (score claimedAtMs), KEYS[4] = the sum of the waiting tickets'
 * waitingSinceMs (kept with every change, so the mean wait needs no read of the
 * queue). ARGV[1] = the conversation id (ZSET member), ARGV[2] = the ticket's lifetime, ms (its
 * hash expires with the conversation; every change renews it).
 */

/** Keeps the waiting sum exact: back to 0 whenever nobody waits (no drift can outlive an empty queue). */
const SUM = `
local function addWaiting(since)
  redis.call('INCRBYFLOAT', KEYS[4], since)
end
local function dropWaiting(since)
  if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('SET', KEYS[4], 0) else redis.call('INCRBYFLOAT', KEYS[4], '-' .. since) end
end`;
import { LuaScript } from './redis-call.ts';

/**
 * ARGV[3] = waitingSinceMs, ARGV[4..] = field/value pairs of a new ticket.
 * Returns the 1-based waiting position, or 0 when the existing ticket is active.
 */
export const ENQUEUE = new LuaScript(`${SUM}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  redis.call('HSET', KEYS[1], 'status', 'waiting', unpack(ARGV, 4))
elseif status ~= 'waiting' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
if not rank then
  local since = redis.call('HGET', KEYS[1], 'waitingSinceMs')
  redis.call('ZADD', KEYS[2], since, ARGV[1])
  addWaiting(since)
  rank = redis.call('ZRANK', KEYS[2], ARGV[1])
end
return rank + 1`);

/**
 * ARGV[3] = staff, ARGV[4] = nowMs.
 * Returns {'ok', <HGETALL>}, {'taken', owner} or {'missing'}.
 */
export const CLAIM = new LuaScript(`${SUM}
local t = redis.call('HMGET', KEYS[1], 'status', 'owner', 'waitingSinceMs')
if not t[1] then return {'missing'} end
if t[1] ~= 'waiting' then return {'taken', t[2] or ''} end
redis.call('HSET', KEYS[1], 'status', 'active', 'owner', ARGV[3], 'claimedAtMs', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then dropWaiting(t[3]) end
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return {'ok', redis.call('HGETALL', KEYS[1])}`);

/** ARGV[3] = staff. Back to waiting with its old score; 1 when released, 0 otherwise. */
export const RELEASE = new LuaScript(`${SUM}
local t = redis.call('HMGET', KEYS[1], 'status', 'owner', 'waitingSinceMs')
if t[1] ~= 'active' or t[2] ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'waiting')
redis.call('HDEL', KEYS[1], 'owner', 'claimedAtMs')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('ZADD', KEYS[2], t[3], ARGV[1]) == 1 then addWaiting(t[3]) end
return 1`);

/** ARGV[3] = from, ARGV[4] = to, ARGV[5] = nowMs. The owner changes, the ticket stays active; 1 when done. */
export const TRANSFER = new LuaScript(`
local t = redis.call('HMGET', KEYS[1], 'status', 'owner')
if t[1] ~= 'active' or t[2] ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[4], 'claimedAtMs', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
return 1`);

/** ARGV[3] = lastMessage, ARGV[4] = atMs. Only an existing ticket is touched (and kept as long again). */
export const TOUCH = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastMessage', ARGV[3], 'lastMessageAtMs', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`);

/**
 * Removes the ticket everywhere; 1 when it existed (also when only its place in a queue was
 * left, its hash having expired with the conversation).
 */
export const REMOVE = new LuaScript(`${SUM}
local since = redis.call('HGET', KEYS[1], 'waitingSinceMs') or redis.call('ZSCORE', KEYS[2], ARGV[1])
local was = redis.call('ZREM', KEYS[2], ARGV[1])
if was == 1 and since then dropWaiting(since) end
local active = redis.call('ZREM', KEYS[3], ARGV[1])
return math.max(redis.call('DEL', KEYS[1]), was, active)`);

/**
 * The queue's counts, kept as it changes: {waiting, active, oldest waitingSinceMs or false, sum}.
 * KEYS: waiting, active, sum.
 */
export const COUNTS = new LuaScript(`
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2]), oldest[2] or false, redis.call('GET', KEYS[3]) or '0'}`);
