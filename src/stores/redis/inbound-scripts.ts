/**
 * The Lua scripts behind RedisInboundLog. The stream scripts touch only the stream; the
 * conversation scripts only one conversation's keys (one `{<conversation id>}` hash slot), so
 * each stays valid on a cluster.
 *
 * Conversation keys: KEYS[1] = queue (ZSET message key → order), KEYS[2] = messages (HASH
 * message key → JSON; `@<key>` → its stream entry id; `#<key>` → times handed out), KEYS[3] =
 * lease (STRING token, PX), KEYS[4] = the message's "queued once" marker (STRING, PX).
 */
import { LuaScript } from './redis-call.ts';

/**
 * Appends one entry and takes what is new for this consumer, in one step. KEYS[1] = stream.
 * ARGV: group, consumer, max length (approximate trim), how many to take, the entry's JSON.
 * Creates the group (from the stream's start) when it is missing. Returns {the new entry's id,
 * XREADGROUP's reply}.
 */
export const APPEND = new LuaScript(`
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'm', ARGV[5])
local ok, res = pcall(redis.call, 'XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[4], 'STREAMS', KEYS[1], '>')
if not ok then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0')
  res = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[4], 'STREAMS', KEYS[1], '>')
end
return {id, res}`);

/** Acknowledges entries and deletes them from the stream. KEYS[1] = stream. ARGV: group, ids… */
export const ACK = new LuaScript(`
local n = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
return n`);

/** The queue's head, handed out once more: {'drain'|'next', key, json, times handed out before, entry id}. */
const HEAD = `
local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
if not head then return nil end
local before = redis.call('HINCRBY', KEYS[2], '#' .. head, 1) - 1
return {head, redis.call('HGET', KEYS[2], head), before, redis.call('HGET', KEYS[2], '@' .. head)}`;

/**
 * Offers a logged message to its conversation. ARGV: 1 message key, 2 order, 3 JSON, 4 entry
 * id, 5 marker px, 6 lease token, 7 lease px, 8 our token prefix, 9 '1' when a stale lease of
 * ours may be taken over, 10 queue px. Returns {'done'} (handled before, or another delivery of
 * a message already queued), {'queued'} (the lease is someone else's), or {'drain', head…}.
 */
export const OFFER = new LuaScript(`
local function head() ${HEAD} end
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  if not redis.call('SET', KEYS[4], '1', 'PX', ARGV[5], 'NX') then return {'done'} end
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3], '@' .. ARGV[1], ARGV[4])
elseif redis.call('HGET', KEYS[2], '@' .. ARGV[1]) ~= ARGV[4] then
  return {'done'}
end
redis.call('PEXPIRE', KEYS[1], ARGV[10])
redis.call('PEXPIRE', KEYS[2], ARGV[10])
local held = redis.call('GET', KEYS[3])
if held and (ARGV[9] ~= '1' or string.sub(held, 1, #ARGV[8]) ~= ARGV[8]) then return {'queued'} end
redis.call('SET', KEYS[3], ARGV[6], 'PX', ARGV[7])
local h = head()
return {'drain', h[1], h[2], h[3], h[4]}`);

/**
 * A turn is over. ARGV: 1 its message key, 2 lease token, 3 lease px. Removes the message, then
 * with the lease still ours: {'next', head…}, or {'empty'} (the lease released); {'lost'} when
 * the lease is no longer ours.
 */
export const NEXT = new LuaScript(`
local function head() ${HEAD} end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1], '@' .. ARGV[1], '#' .. ARGV[1])
if redis.call('GET', KEYS[3]) ~= ARGV[2] then return {'lost'} end
local h = head()
if not h then
  redis.call('DEL', KEYS[3])
  return {'empty'}
end
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return {'next', h[1], h[2], h[3], h[4]}`);

/** KEYS[1] = lease. ARGV: token, px. Pushes the lease's expiry when it is still ours: 1, else 0. */
export const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

/** KEYS[1] = lease. ARGV: token. Deletes the lease when it is still ours. */
export const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);
