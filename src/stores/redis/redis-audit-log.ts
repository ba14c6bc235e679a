/**
 * The audit log in Redis, shared by every instance and kept with Redis' persistence.
 *
 * Keys (after the client's prefix):
 * - `audit:entries`  ZSET scored by `atMs`; each member is `<nonce>\t<entry JSON>`. Entries older
 *   than the retention are dropped on every append (and never returned); past `max` entries the
 *   oldest go. The whole set expires one retention after the last append.
 * - `audit:log`      the LIST of earlier versions (no expiry); moved into `audit:entries` once, with
 *   the conversation id of every citizen erasure removed.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-client-type.ts';
import { systemClock, type AuditAction, type AuditEntry, type AuditLog, type Clock } from '../../core/ports.ts';
import type { ChannelName, ConversationId } from '../../core/types.ts';
import { LuaScript, pxOf, redisCall } from './redis-call.ts';
import { DEFAULT_AUDIT_MAX, DEFAULT_AUDIT_RETENTION_MS, auditEntryToStore } from '../memory/memory-audit-log.ts';

const ENTRIES = 'audit:entries';
const LEGACY = 'audit:log';

/** Options of {@link RedisAuditLog}. */
export interface RedisAuditLogOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: RedisClient;
  /** Entries kept (oldest dropped past it). Default 10 000. */
  readonly max?: number;
  /** How long an entry is kept after its `atMs`, ms. Default 180 days. */
  readonly retentionMs?: number;
  /** The clock deciding what is too old. Default: the system clock. */
  readonly clock?: Clock;
}

/** KEYS[1] = entries. ARGV: score, member, oldest score kept, max entries, px of the set. */
const APPEND = new LuaScript(`
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`);

/**
 * KEYS[1] = entries. ARGV[1] = the field to cut, as JSON (`,"conversationId":"<id>"`).
 * Rewrites every member holding it without it (same score). Returns how many changed.
 */
const FORGET = new LuaScript(`
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local changed = 0
for i = 1, #all, 2 do
  local member = all[i]
  local s, e = string.find(member, ARGV[1], 1, true)
  if s then
    redis.call('ZREM', KEYS[1], member)
    redis.call('ZADD', KEYS[1], all[i + 1], string.sub(member, 1, s - 1) .. string.sub(member, e + 1))
    changed = changed + 1
  end
end
return changed`);

const ACTIONS = new Set<string>(['login', 'logout', 'claim', 'reply', 'insert-guide', 'release', 'resolve', 'erase', 'read']);
const CHANNELS = new Set<string>(['telegram', 'zalo-bot', 'zalo-oa', 'web', 'cli']);

/** One stored entry (the JSON part of a member, or a legacy list row), or null when unreadable. */
export function parseAuditEntry(json: string): AuditEntry | null {
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    if (typeof v.atMs !== 'number' || typeof v.actor !== 'string' || !ACTIONS.has(v.action as string)) return null;
    return {
      atMs: v.atMs,
      actor: v.actor,
      action: v.action as AuditAction,
      ...(typeof v.conversationId === 'string' && { conversationId: v.conversationId as ConversationId }),
      ...(typeof v.channel === 'string' && CHANNELS.has(v.channel) && { channel: v.channel as ChannelName }),
      ...(typeof v.detail === 'string' && { detail: v.detail }),
    };
  } catch {
    return null;
  }
}

/** The JSON of an entry in a fixed field order (FORGET cuts the conversation id out of it as text). */
function entryJson(entry: AuditEntry): string {
  const e = auditEntryToStore(entry);
  return JSON.stringify({
    atMs: e.atMs,
    actor: e.actor,
    action: e.action,
    ...(e.channel ? { channel: e.channel } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
    ...(e.conversationId ? { conversationId: e.conversationId } : {}),
  });
}

/** {@link AuditLog} on a Redis sorted set. Fails with `StoreUnavailableError` while Redis is away. */
export class RedisAuditLog implements AuditLog {
  readonly #redis: RedisClient;
  readonly #max: number;
  readonly #retentionMs: number;
  readonly #clock: Clock;
  #migrated: Promise<void> | undefined;

  constructor(options: RedisAuditLogOptions) {
    this.#redis = options.redis;
    this.#max = options.max ?? DEFAULT_AUDIT_MAX;
    this.#retentionMs = options.retentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
    this.#clock = options.clock ?? systemClock;
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.#migrate();
    await this.#add(entryJson(entry), entry.atMs, randomBytes(6).toString('hex'));
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    await this.#migrate();
    if (limit <= 0) return [];
    const oldest = this.#clock.nowMs() - this.#retentionMs;
    const rows = await redisCall('audit recent', () => this.#redis.zrevrangebyscore(ENTRIES, '+inf', oldest, 'LIMIT', 0, limit));
    return rows.map((m) => parseAuditEntry(m.slice(m.indexOf('\t') + 1))).filter((e): e is AuditEntry => e !== null);
  }

  async forget(conversationId: ConversationId): Promise<number> {
    await this.#migrate();
    const field = `,${JSON.stringify('conversationId')}:${JSON.stringify(conversationId)}`;
    return Number(await FORGET.run(this.#redis, 'audit forget', [ENTRIES], [field]));
  }

  async #add(json: string, atMs: number, nonce: string): Promise<void> {
    const oldest = this.#clock.nowMs() - this.#retentionMs;
    await APPEND.run(this.#redis, 'audit append', [ENTRIES], [atMs, `${nonce}\t${json}`, oldest, this.#max, pxOf(this.#retentionMs)]);
  }

  /**
   * Moves the list of earlier versions into the set, once per instance (a failure is retried
   * on the next call). Safe to run on several instances at once: a row's nonce is its place
   * in the list, so a row moved twice is the same member. An erasure's line loses its id.
   */
  #migrate(): Promise<void> {
    this.#migrated ??= (async () => {
      const rows = await redisCall('audit migrate', async () => ((await this.#redis.type(LEGACY)) === 'list' ? this.#redis.lrange(LEGACY, 0, -1) : []));
      const oldest = this.#clock.nowMs() - this.#retentionMs;
      for (const [i, row] of rows.entries()) {
        const parsed = parseAuditEntry(row);
        if (!parsed || parsed.atMs < oldest) continue;
        const entry = parsed.action === 'erase' ? withoutId(parsed) : parsed;
        await this.#add(entryJson(entry), entry.atMs, `legacy-${i}`);
      }
      if (rows.length > 0) await redisCall('audit migrate', () => this.#redis.del(LEGACY));
    })().catch((err: unknown) => {
      this.#migrated = undefined;
      throw err;
    });
    return this.#migrated;
  }
}

/** The entry without its conversation id (its channel kept). */
function withoutId(entry: AuditEntry): AuditEntry {
  const { conversationId: _gone, ...rest } = auditEntryToStore(entry);
  return rest;
}
