/**
 * The Lua scripts behind RedisConversationHistory. Every key a script touches is passed in KEYS
 * (all under the `{hist}` hash tag, so one slot); arguments come as one JSON object (cjson).
 *
 * Index keys hold case ids: the status, channel, staff and label indexes are sorted sets scored
 * by the case's start (a page of one of them is read straight from it); the word indexes are
 * plain sets (smaller), intersected with a sorted set for the order. The case's hash keeps, in
 * its `ix` field, the short names of the indexes it is in (space-separated), so a removal
 * leaves nothing behind; `all` (every case by start) is what sweeps go by.
 */
import { LuaScript } from './redis-call.ts';

/**
 * Adds `id` to KEYS[from..#KEYS] (the first `nZ` sorted sets with `score`, the rest sets), each
 * given `ttl`, and returns the short names (`names`, aligned with those keys) of the indexes
 * the case was not in yet.
 */
const JOIN = `
local function join(from, id, score, nZ, ttl, names)
  local added = {}
  for i = from, #KEYS do
    local n
    if i - from < nZ then n = redis.call('ZADD', KEYS[i], score, id) else n = redis.call('SADD', KEYS[i], id) end
    redis.call('PEXPIRE', KEYS[i], ttl)
    if n == 1 then table.insert(added, names[i - from + 1]) end
  end
  return added
end
local function remember(rec, added)
  if #added == 0 then return end
  local ix = redis.call('HGET', rec, 'ix') or ''
  redis.call('HSET', rec, 'ix', ix .. ' ' .. table.concat(added, ' '))
end
`;

/**
 * Starts a case. KEYS: rec, lines, all, conv, then index keys (sorted sets first). ARGV[1]:
 * {id, score, ttl, setTtl, maxLines, cutoff, maxCases, fields, lines, names, nZ}. Returns up
 * to 20 case ids to sweep (started before `cutoff`, else the oldest past `maxCases`).
 */
export const OPEN_CASE = new LuaScript(`${JOIN}
local a = cjson.decode(ARGV[1])
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], unpack(a.fields))
if #a.lines > 0 then
  redis.call('RPUSH', KEYS[2], unpack(a.lines))
  redis.call('LTRIM', KEYS[2], -tonumber(a.maxLines), -1)
end
redis.call('ZADD', KEYS[3], a.score, a.id)
redis.call('ZADD', KEYS[4], a.score, a.id)
redis.call('PEXPIRE', KEYS[4], a.setTtl)
remember(KEYS[1], join(5, a.id, a.score, tonumber(a.nZ), a.setTtl, a.names))
redis.call('PEXPIRE', KEYS[1], a.ttl)
redis.call('PEXPIRE', KEYS[2], a.ttl)
local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. a.cutoff, 'LIMIT', 0, 20)
local over = redis.call('ZCARD', KEYS[3]) - tonumber(a.maxCases)
if #old == 0 and over > 0 then old = redis.call('ZRANGE', KEYS[3], 0, math.min(over, 20) - 1) end
return old`);

/**
 * Appends lines and changes fields of an existing case. KEYS: rec, lines, then `nLeave` sorted
 * sets to leave (the status indexes), then indexes to join (sorted sets first). ARGV[1]: {id,
 * setTtl, maxLines, lines, set, del, addStaff?, nLeave, nZ, names}. 0 for an unknown case, else 1.
 */
export const RECORD_CASE = new LuaScript(`${JOIN}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local a = cjson.decode(ARGV[1])
if #a.lines > 0 then
  redis.call('RPUSH', KEYS[2], unpack(a.lines))
  redis.call('LTRIM', KEYS[2], -tonumber(a.maxLines), -1)
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
end
if #a.set > 0 then redis.call('HSET', KEYS[1], unpack(a.set)) end
if #a.del > 0 then redis.call('HDEL', KEYS[1], unpack(a.del)) end
if a.addStaff then
  local staff = cjson.decode(redis.call('HGET', KEYS[1], 'staff') or '[]')
  local found = false
  for _, s in ipairs(staff) do if s == a.addStaff then found = true end end
  if not found then
    table.insert(staff, a.addStaff)
    redis.call('HSET', KEYS[1], 'staff', cjson.encode(staff))
  end
end
local first = 3 + tonumber(a.nLeave)
for i = 3, first - 1 do redis.call('ZREM', KEYS[i], a.id) end
local score = redis.call('HGET', KEYS[1], 'startedAtMs')
remember(KEYS[1], join(first, a.id, score, tonumber(a.nZ), a.setTtl, a.names))
return 1`);

/**
 * Replaces a case's labels. KEYS: rec, the label registry, then `nOld` old label indexes, then
 * indexes to join (sorted sets first). ARGV[1]: {id, labels (JSON), registry, now, setTtl,
 * nOld, nZ, names}. 0 when unknown.
 */
export const LABEL_CASE = new LuaScript(`${JOIN}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local a = cjson.decode(ARGV[1])
redis.call('HSET', KEYS[1], 'labels', a.labels)
local first = 3 + tonumber(a.nOld)
for i = 3, first - 1 do redis.call('ZREM', KEYS[i], a.id) end
local score = redis.call('HGET', KEYS[1], 'startedAtMs')
remember(KEYS[1], join(first, a.id, score, tonumber(a.nZ), a.setTtl, a.names))
for _, l in ipairs(a.registry) do redis.call('ZADD', KEYS[2], a.now, l) end
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -201)
return 1`);

/** Removes a case. KEYS: all, conv, rec, lines, then its index keys. ARGV[1] = id. */
export const REMOVE_CASE = new LuaScript(`
for i = 5, #KEYS do
  local t = redis.call('TYPE', KEYS[i]).ok
  if t == 'zset' then redis.call('ZREM', KEYS[i], ARGV[1]) elseif t == 'set' then redis.call('SREM', KEYS[i], ARGV[1]) end
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[3], KEYS[4])`);

/**
 * One page of a search. KEYS: tmp, all, then `nZ` sorted-set indexes, then set indexes. ARGV:
 * max, min, offset, count, countMax, nZ. One sorted set alone is read straight; else the
 * indexes are intersected into tmp (scores from the sorted sets, or from `all` when there are
 * only word sets), which is deleted. Returns {total, {id, score, …}}.
 */
export const SEARCH_CASES = new LuaScript(`
local nZ = tonumber(ARGV[6])
local src = KEYS[2]
if #KEYS == 3 and nZ == 1 then
  src = KEYS[3]
elseif #KEYS > 2 then
  local keys = {}
  local weights = {}
  if nZ == 0 then table.insert(keys, KEYS[2]); table.insert(weights, 1) end
  for i = 3, #KEYS do
    table.insert(keys, KEYS[i])
    table.insert(weights, (i - 3 < nZ) and 1 or 0)
  end
  local args = {'ZINTERSTORE', KEYS[1], #keys}
  for _, k in ipairs(keys) do table.insert(args, k) end
  table.insert(args, 'WEIGHTS')
  for _, w in ipairs(weights) do table.insert(args, w) end
  table.insert(args, 'AGGREGATE')
  table.insert(args, 'MAX')
  redis.call(unpack(args))
  redis.call('PEXPIRE', KEYS[1], 60000)
  src = KEYS[1]
end
local total = redis.call('ZCOUNT', src, ARGV[2], ARGV[5])
local page = redis.call('ZREVRANGEBYSCORE', src, ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', ARGV[3], ARGV[4])
if src == KEYS[1] then redis.call('DEL', KEYS[1]) end
return {total, page}`);
