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
 * ARGV: group, consumer, max length (approximate trim), how many to take, the entry's JSON, then
 * the ids of entries whose turns are over (acknowledged and deleted first, as ACK does: the
 * acknowledgements of finished turns travel with the next append). Creates the group (from the
 * stream's start) when it is missing. Returns {the new entry's id, XREADGROUP's reply}.
 */
export const APPEND = new LuaScript(`${appendLua(6)}
return {id, res}`);

/** APPEND's work, leaving `id` and `res`; the acknowledgements from ARGV[`acksFrom`]. */
function appendLua(acksFrom: number): string {
  return `
if #ARGV >= ${acksFrom} then
  pcall(redis.call, 'XACK', KEYS[1], ARGV[1], unpack(ARGV, ${acksFrom}))
  redis.call('XDEL', KEYS[1], unpack(ARGV, ${acksFrom}))
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'm', ARGV[5])
local ok, res = pcall(redis.call, 'XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[4], 'STREAMS', KEYS[1], '>')
if not ok then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0')
  res = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[4], 'STREAMS', KEYS[1], '>')
end`;
}

/** Acknowledges entries and deletes them from the stream. KEYS[1] = stream. ARGV: group, ids… */
export const ACK = new LuaScript(`
local n = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
return n`);

/** The queue's head (`queue`, `messages`: the Lua names of its keys), handed out once more: {key, json, times handed out before, entry id}. */
function headLua(queue: string, messages: string): string {
  return `
local head = redis.call('ZRANGE', ${queue}, 0, 0)[1]
if not head then return nil end
local before = redis.call('HINCRBY', ${messages}, '#' .. head, 1) - 1
return {head, redis.call('HGET', ${messages}, head), before, redis.call('HGET', ${messages}, '@' .. head)}`;
}
const HEAD = headLua('KEYS[1]', 'KEYS[2]');

/**
 * Offers a logged message to its conversation. ARGV: 1 message key, 2 order, 3 JSON, 4 entry
 * id, 5 marker px, 6 lease token, 7 lease px, 8 our token prefix, 9 '1' when a stale lease of
 * ours may be taken over, 10 queue px. Returns {'done'} (handled before, or another delivery of
 * a message already queued), {'queued'} (the lease is someone else's), or {'drain', head…}.
 *
 * With three more keys (KEYS[5] the message's seen key, KEYS[6] the conversation's lock,
 * KEYS[7] its state: the conversation store's) and ARGV 11 lock token, 12 lock px, 13 seen px,
 * it also starts the turn when the head is this message, handed out for the first time, and
 * neither its seen key nor the lock exists: records the seen key and takes the lock with the
 * token (as the store's SEEN_ACQUIRE_AND_READ would), and answers {'drain', head…, token,
 * state} (state absent when there is none).
 */
const OFFER_BODY = `
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
if KEYS[7] and h[1] == ARGV[1] and h[3] == 0 and redis.call('EXISTS', KEYS[5], KEYS[6]) == 0 then
  redis.call('SET', KEYS[5], ARGV[11], 'PX', ARGV[13])
  redis.call('SET', KEYS[6], ARGV[11], 'PX', ARGV[12])
  return {'drain', h[1], h[2], h[3], h[4], ARGV[11], redis.call('GET', KEYS[7])}
end
return {'drain', h[1], h[2], h[3], h[4]}`;
export const OFFER = new LuaScript(OFFER_BODY);

/**
 * APPEND and OFFER of the appended entry in one step, for a server where the stream and the
 * conversation's keys may meet in one script (not a cluster: they are two hash slots there).
 * KEYS: 1 stream, then OFFER's (2 queue, 3 messages, 4 lease, 5 marker[, 6 seen, 7 lock,
 * 8 state]). ARGV: 1 group, 2 consumer, 3 max length, 4 how many to take, 5 the entry's JSON
 * (the queue's too), then OFFER's 6 message key, 7 order, 8 marker px, 9 lease token, 10 lease
 * px, 11 our token prefix, 12 may take our own lease, 13 queue px, 14 lock token, 15 lock px,
 * 16 seen px, then the acknowledgements. Returns {entry id, XREADGROUP's reply, OFFER's reply
 * or {'error', message} when the offer failed after the append}.
 */
export const APPEND_OFFER = new LuaScript(`${appendLua(17)}
local function offer()${remap(OFFER_BODY, ['KEYS[2]', 'KEYS[3]', 'KEYS[4]', 'KEYS[5]', 'KEYS[6]', 'KEYS[7]', 'KEYS[8]'], [
  'ARGV[6]', 'ARGV[7]', 'ARGV[5]', 'id', 'ARGV[8]', 'ARGV[9]', 'ARGV[10]', 'ARGV[11]', 'ARGV[12]', 'ARGV[13]', 'ARGV[14]', 'ARGV[15]', 'ARGV[16]',
])}
end
local done, o = pcall(offer)
if not done then o = {'error', tostring(o)} end
return {id, res, o}`);

/** `lua` with KEYS[n] and ARGV[n] replaced by the n-th of `keys` and `args` (Lua expressions). */
function remap(lua: string, keys: readonly string[], args: readonly string[]): string {
  return lua.replace(/(KEYS|ARGV)\[(\d+)\]/g, (_, table: string, n: string) => {
    const to = (table === 'KEYS' ? keys : args)[Number(n) - 1];
    if (to === undefined) throw new Error(`remap: no ${table}[${n}]`);
    return to;
  });
}

/**
 * NEXT's body as a Lua function `next_of_queue()` over the given KEYS / ARGV (Lua names): the
 * conversation's queue, messages and lease; the finished message's key, the lease token and px.
 */
export function nextLua(k: { queue: string; messages: string; lease: string }, a: { key: string; token: string; px: string }): string {
  return `
local function next_of_queue()
  local function head() ${headLua(k.queue, k.messages)} end
  redis.call('ZREM', ${k.queue}, ${a.key})
  redis.call('HDEL', ${k.messages}, ${a.key}, '@' .. ${a.key}, '#' .. ${a.key})
  if redis.call('GET', ${k.lease}) ~= ${a.token} then return {'lost'} end
  local h = head()
  if not h then
    redis.call('DEL', ${k.lease})
    return {'empty'}
  end
  redis.call('PEXPIRE', ${k.lease}, ${a.px})
  return {'next', h[1], h[2], h[3], h[4]}
end
`;
}

/**
 * A turn is over. ARGV: 1 its message key, 2 lease token, 3 lease px. Removes the message, then
 * with the lease still ours: {'next', head…}, or {'empty'} (the lease released); {'lost'} when
 * the lease is no longer ours.
 */
export const NEXT = new LuaScript(`${nextLua({ queue: 'KEYS[1]', messages: 'KEYS[2]', lease: 'KEYS[3]' }, { key: 'ARGV[1]', token: 'ARGV[2]', px: 'ARGV[3]' })}
return next_of_queue()`);

/** KEYS[1] = lease. ARGV: token, px. Pushes the lease's expiry when it is still ours: 1, else 0. */
export const EXTEND = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

/** KEYS[1] = lease. ARGV: token. Deletes the lease when it is still ours. */
export const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);
