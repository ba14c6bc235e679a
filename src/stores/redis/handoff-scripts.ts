/**
 * The Lua scripts behind RedisHandoffQueue: each change of a ticket touches its HASH and
 * the waiting/active sorted sets in one atomic step.
 *
 * KEYS[1] = ticket hash, KEYS[2] = waiting ZSET (score waitingSinceMs),
 * KEYS[3] = active ZSET (score claimedAtMs). ARGV[1] = the conversation id (ZSET member).
 */
import { LuaScript } from './redis-call.ts';

/**
 * ARGV[2] = waitingSinceMs, ARGV[3..] = field/value pairs of a new ticket.
 * Returns the 1-based waiting position, or 0 when the existing ticket is active.
 */
export const ENQUEUE = new LuaScript(`
local status = redis.call('HGET', KEYS[1], 'status')
if not status then
  redis.call('HSET', KEYS[1], 'status', 'waiting', unpack(ARGV, 3))
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
elseif status ~= 'waiting' then
  return 0
end
local rank = redis.call('ZRANK', KEYS[2], ARGV[1])
if not rank then
  redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'waitingSinceMs'), ARGV[1])
  rank = redis.call('ZRANK', KEYS[2], ARGV[1])
end
return rank + 1`);

/**
 * ARGV[2] = staff, ARGV[3] = nowMs.
 * Returns {'ok', <HGETALL>}, {'taken', owner} or {'missing'}.
 */
export const CLAIM = new LuaScript(`
local t = redis.call('HMGET', KEYS[1], 'status', 'owner')
if not t[1] then return {'missing'} end
if t[1] ~= 'waiting' then return {'taken', t[2] or ''} end
redis.call('HSET', KEYS[1], 'status', 'active', 'owner', ARGV[2], 'claimedAtMs', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return {'ok', redis.call('HGETALL', KEYS[1])}`);

/** ARGV[2] = staff. Back to waiting with its old score; 1 when released, 0 otherwise. */
export const RELEASE = new LuaScript(`
local t = redis.call('HMGET', KEYS[1], 'status', 'owner', 'waitingSinceMs')
if t[1] ~= 'active' or t[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'status', 'waiting')
redis.call('HDEL', KEYS[1], 'owner', 'claimedAtMs')
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[2], t[3], ARGV[1])
return 1`);

/** ARGV[2] = from, ARGV[3] = to, ARGV[4] = nowMs. The owner changes, the ticket stays active; 1 when done. */
export const TRANSFER = new LuaScript(`
local t = redis.call('HMGET', KEYS[1], 'status', 'owner')
if t[1] ~= 'active' or t[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[3], 'claimedAtMs', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return 1`);

/** ARGV[2] = lastMessage, ARGV[3] = atMs. Only an existing ticket is touched. */
export const TOUCH = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastMessage', ARGV[2], 'lastMessageAtMs', ARGV[3])
return 1`);

/** Removes the ticket everywhere; 1 when it existed. */
export const REMOVE = new LuaScript(`
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return redis.call('DEL', KEYS[1])`);
