/**
 * The end of a turn in Lua: the conversation store's write (state, transcript, lifetimes), and
 * FINISH, which ends a turn of the durable inbound log's queue in one step. Every key is one
 * conversation's (one `{<conversation id>}` hash slot), so the scripts stay valid on a cluster.
 */
import { nextLua } from './inbound-scripts.ts';
import { LuaScript } from './redis-call.ts';

/**
 * The state and the transcript lines of a turn, both with the conversation's lifetime. KEYS[1]
 * state, KEYS[2] transcript; ARGV[2] state JSON, ARGV[3] px, ARGV[4] transcript bound, the lines
 * from ARGV[`firstLine`].
 */
export function writeStateLua(firstLine: number): string {
  return `redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if #ARGV >= ${firstLine} then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, ${firstLine}))
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
`;
}

/**
 * A queued turn is over (see QueuedTurn): its write when there is one, the lock's release
 * (compare-and-delete), and the queue's next (NEXT of inbound-scripts.ts), in one step.
 * KEYS: 1 state, 2 transcript, 3 lock, 4 queue, 5 messages, 6 lease. ARGV: 1 lock token, 2 state
 * JSON ('' when there is nothing to write), 3 px, 4 transcript bound, 5 the turn's message key,
 * 6 lease token, 7 lease px, then the transcript lines. Returns {1 when the lock was ours, else
 * 0, then NEXT's reply: 'next', head… | 'empty' | 'lost'}.
 */
export const FINISH = new LuaScript(`
${nextLua({ queue: 'KEYS[4]', messages: 'KEYS[5]', lease: 'KEYS[6]' }, { key: 'ARGV[5]', token: 'ARGV[6]', px: 'ARGV[7]' })}
if ARGV[2] ~= '' then
${writeStateLua(8)}end
local released = 0
if redis.call('GET', KEYS[3]) == ARGV[1] then released = redis.call('DEL', KEYS[3]) end
local r = next_of_queue()
return {released, r[1], r[2], r[3], r[4], r[5]}`);
