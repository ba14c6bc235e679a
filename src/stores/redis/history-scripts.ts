/**
 * The Lua scripts behind RedisConversationHistory. Every key a script touches is passed in KEYS
 * (all under the `{hist}` hash tag, so one slot); arguments come as one JSON object (cjson).
 * Index sets hold case ids; the `all` sorted set (score = start, ms) is the authority: a search
 * always intersects with it, so an index entry left behind by a removed case is never shown.
 */
import { LuaScript } from './redis-call.ts';

/**
 * Starts a case. KEYS: rec, lines, ix, all, conv, then index sets. ARGV[1]: {id, score, ttl,
 * setTtl, maxLines, cutoff, maxCases, fields, lines, ix}. Returns up to 20 case ids to sweep
 * (started before `cutoff`, else the oldest past `maxCases`).
 */
export const OPEN_CASE = new LuaScript(`
local a = cjson.decode(ARGV[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], unpack(a.fields))
if #a.lines > 0 then
  redis.call('RPUSH', KEYS[2], unpack(a.lines))
  redis.call('LTRIM', KEYS[2], -tonumber(a.maxLines), -1)
end
redis.call('ZADD', KEYS[4], a.score, a.id)
redis.call('ZADD', KEYS[5], a.score, a.id)
redis.call('PEXPIRE', KEYS[5], a.setTtl)
for i = 6, #KEYS do
  redis.call('SADD', KEYS[i], a.id)
  redis.call('PEXPIRE', KEYS[i], a.setTtl)
end
if #a.ix > 0 then redis.call('SADD', KEYS[3], unpack(a.ix)) end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], a.ttl) end
local old = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. a.cutoff, 'LIMIT', 0, 20)
local over = redis.call('ZCARD', KEYS[4]) - tonumber(a.maxCases)
if #old == 0 and over > 0 then old = redis.call('ZRANGE', KEYS[4], 0, math.min(over, 20) - 1) end
return old`);

/**
 * Appends lines and changes fields of an existing case. KEYS: rec, lines, ix, then `nSrem` sets
 * to leave (the status sets), then sets to join. ARGV[1]: {id, setTtl, maxLines, lines, set,
 * del, addStaff?, nSrem, ix}. Returns 0 for an unknown case, else 1.
 */
export const RECORD_CASE = new LuaScript(`
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
local first = 4 + tonumber(a.nSrem)
for i = 4, first - 1 do redis.call('SREM', KEYS[i], a.id) end
for i = first, #KEYS do
  redis.call('SADD', KEYS[i], a.id)
  redis.call('PEXPIRE', KEYS[i], a.setTtl)
end
if #a.ix > 0 then redis.call('SADD', KEYS[3], unpack(a.ix)) end
return 1`);

/**
 * Replaces a case's labels. KEYS: rec, ix, the label registry, then `nOld` old label sets, then
 * sets to join. ARGV[1]: {id, labels (JSON), names, now, setTtl, nOld, ix}. 0 when unknown.
 */
export const LABEL_CASE = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local a = cjson.decode(ARGV[1])
redis.call('HSET', KEYS[1], 'labels', a.labels)
local first = 4 + tonumber(a.nOld)
for i = 4, first - 1 do redis.call('SREM', KEYS[i], a.id) end
for i = first, #KEYS do
  redis.call('SADD', KEYS[i], a.id)
  redis.call('PEXPIRE', KEYS[i], a.setTtl)
end
for _, l in ipairs(a.names) do redis.call('ZADD', KEYS[3], a.now, l) end
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -201)
if #a.ix > 0 then redis.call('SADD', KEYS[2], unpack(a.ix)) end
return 1`);

/** Removes a case. KEYS: all, conv, rec, lines, ix, then its index sets. ARGV[1] = id. */
export const REMOVE_CASE = new LuaScript(`
for i = 6, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('DEL', KEYS[3], KEYS[4], KEYS[5])`);

/**
 * One page of a search. KEYS: tmp, all, then the sets every case must be in. ARGV: max, min,
 * offset, count, countMax. Returns {total, {id, score, …}}; the temporary key is deleted.
 */
export const SEARCH_CASES = new LuaScript(`
local src = KEYS[2]
if #KEYS > 2 then
  local args = {'ZINTERSTORE', KEYS[1], #KEYS - 1}
  for i = 2, #KEYS do table.insert(args, KEYS[i]) end
  table.insert(args, 'WEIGHTS')
  for i = 2, #KEYS do table.insert(args, i == 2 and 1 or 0) end
  redis.call(unpack(args))
  redis.call('PEXPIRE', KEYS[1], 60000)
  src = KEYS[1]
end
local total = redis.call('ZCOUNT', src, ARGV[2], ARGV[5])
local page = redis.call('ZREVRANGEBYSCORE', src, ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', ARGV[3], ARGV[4])
if src == KEYS[1] then redis.call('DEL', KEYS[1]) end
return {total, page}`);
