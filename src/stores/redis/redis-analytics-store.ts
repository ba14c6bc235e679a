/**
 * Analytics events in Redis, shared by every instance: one list per UTC day,
 * `analytics:day:<YYYY-MM-DD>` (after the client's prefix), holding one JSON event per entry.
 * Each list expires at the end of its day plus the retention period, so Redis forgets old
 * events by itself; reads also drop anything older than the retention.
 */
import type { RedisClient } from './redis-client-type.ts';
import { systemClock, type AnalyticsEvent, type AnalyticsStore, type Clock, type Decision } from '../../core/ports.ts';
import type { ChannelName } from '../../core/types.ts';
import { DEFAULT_ANALYTICS_RETENTION_MS } from '../memory/memory-analytics-store.ts';
import { LuaScript, redisCall, toStoreError } from './redis-call.ts';

const DAY_MS = 86_400_000;
/** Events kept per day at most (oldest of the day dropped past it): a guard against floods. */
export const ANALYTICS_MAX_EVENTS_PER_DAY = 500_000;

/** The Redis key of the UTC day holding `atMs`. */
export function analyticsDayKey(atMs: number): string {
  return `analytics:day:${new Date(Math.floor(atMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10)}`;
}

/** Options of {@link RedisAnalyticsStore}. */
export interface RedisAnalyticsStoreOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: RedisClient;
  /** How long an event is kept after its `atMs`, ms. Default 90 days. */
  readonly retentionMs?: number;
  /** The clock deciding what is too old to return. Default: the system clock. */
  readonly clock?: Clock;
}

const CHANNELS = new Set<string>(['telegram', 'zalo-bot', 'zalo-oa', 'web', 'cli']);
const DECISIONS = new Set<string>(['answer', 'clarify', 'fallback', 'handoff', 'greeting']);

/** One stored entry back as an event, or null when it is not one (skipped, never thrown). */
export function parseAnalyticsEvent(json: string): AnalyticsEvent | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || typeof v.atMs !== 'number' || !CHANNELS.has(v.channel as string)) return null;
  const base = { atMs: v.atMs, channel: v.channel as ChannelName };
  switch (v.kind) {
    case 'question':
      if (!DECISIONS.has(v.decision as string) || typeof v.query !== 'string' || !Array.isArray(v.guides)) return null;
      return {
        kind: 'question',
        ...base,
        decision: v.decision as Decision,
        query: v.query,
        guides: v.guides.filter((g): g is string => typeof g === 'string'),
        confidence: typeof v.confidence === 'number' ? v.confidence : 0,
        ...(v.notCovered === true && { notCovered: true as const }),
      };
    case 'feedback':
      if (typeof v.guideId !== 'string' || typeof v.helpful !== 'boolean') return null;
      return { kind: 'feedback', ...base, guideId: v.guideId, helpful: v.helpful };
    case 'handoff':
      if (typeof v.reason !== 'string') return null;
      return { kind: 'handoff', ...base, reason: v.reason, ...(typeof v.guideId === 'string' && { guideId: v.guideId }) };
    case 'rating':
      return typeof v.score === 'number' ? { kind: 'rating', ...base, score: v.score } : null;
    case 'claimed':
      return typeof v.waitMs === 'number' ? { kind: 'claimed', ...base, waitMs: v.waitMs } : null;
    default:
      return null;
  }
}

/**
 * KEYS[1] = a day's list. ARGV = index, old row, new row, repeated. Each row is replaced only
 * when it is still the old one at that index (the list only grows at its end, but a flood may
 * trim its head). Returns how many were replaced.
 */
const REPLACE_ROWS = new LuaScript(`
local n = 0
for i = 1, #ARGV, 3 do
  if redis.call('LINDEX', KEYS[1], ARGV[i]) == ARGV[i + 1] then
    redis.call('LSET', KEYS[1], ARGV[i], ARGV[i + 2])
    n = n + 1
  end
end
return n`);

/** Rows read at a time when rewriting a day's list. */
const REWRITE_CHUNK = 1_000;

/** {@link AnalyticsStore} on one Redis list per day. Fails with `StoreUnavailableError` while Redis is away. */
export class RedisAnalyticsStore implements AnalyticsStore {
  readonly #redis: RedisClient;
  readonly #retentionMs: number;
  readonly #clock: Clock;

  constructor(options: RedisAnalyticsStoreOptions) {
    this.#redis = options.redis;
    this.#retentionMs = options.retentionMs ?? DEFAULT_ANALYTICS_RETENTION_MS;
    this.#clock = options.clock ?? systemClock;
  }

  async record(events: readonly AnalyticsEvent[]): Promise<void> {
    const oldest = this.#clock.nowMs() - this.#retentionMs;
    const byDay = new Map<string, { endMs: number; rows: string[] }>();
    for (const e of events) {
      if (e.atMs < oldest) continue; // already past its retention
      const key = analyticsDayKey(e.atMs);
      const day = byDay.get(key) ?? { endMs: (Math.floor(e.atMs / DAY_MS) + 1) * DAY_MS, rows: [] };
      day.rows.push(JSON.stringify(e));
      byDay.set(key, day);
    }
    if (byDay.size === 0) return;
    // One pipeline per day: each touches one key, so each stays on one slot of a cluster.
    await Promise.all(
      [...byDay].map(async ([key, day]) => {
        const pipeline = this.#redis.pipeline().rpush(key, ...day.rows).ltrim(key, -ANALYTICS_MAX_EVENTS_PER_DAY, -1).pexpireat(key, day.endMs + this.#retentionMs);
        const results = await redisCall('analytics record', () => pipeline.exec());
        const failed = results?.find(([err]) => err);
        if (failed?.[0]) throw toStoreError('analytics record', failed[0]);
      }),
    );
  }

  async range(sinceMs: number, untilMs: number): Promise<AnalyticsEvent[]> {
    const from = Math.max(sinceMs, this.#clock.nowMs() - this.#retentionMs);
    if (untilMs <= from) return [];
    const keys: string[] = [];
    for (let day = Math.floor(from / DAY_MS); day <= Math.floor((untilMs - 1) / DAY_MS); day++) keys.push(analyticsDayKey(day * DAY_MS));
    // One read per day (auto-pipelined; on a cluster each goes to its own slot's node).
    const days = await Promise.all(keys.map((key) => redisCall('analytics range', () => this.#redis.lrange(key, 0, -1))));
    const out: AnalyticsEvent[] = [];
    for (const rows of days) {
      for (const row of rows) {
        const e = parseAnalyticsEvent(row);
        if (e && e.atMs >= from && e.atMs < untilMs) out.push(e);
      }
    }
    return out.sort((a, b) => a.atMs - b.atMs);
  }

  /** Day by day, each day's list read `chunkSize` rows at a time (LRANGE), parsed and filtered. */
  async scan(sinceMs: number, untilMs: number, onChunk: (events: AnalyticsEvent[]) => void | Promise<void>, chunkSize = 5_000): Promise<void> {
    const from = Math.max(sinceMs, this.#clock.nowMs() - this.#retentionMs);
    for (let day = Math.floor(from / DAY_MS); day * DAY_MS < untilMs; day++) {
      const key = analyticsDayKey(day * DAY_MS);
      for (let start = 0; ; start += chunkSize) {
        const rows = await redisCall('analytics scan', () => this.#redis.lrange(key, start, start + chunkSize - 1));
        const events: AnalyticsEvent[] = [];
        for (const row of rows) {
          const e = parseAnalyticsEvent(row);
          if (e && e.atMs >= from && e.atMs < untilMs) events.push(e);
        }
        if (events.length > 0) await onChunk(events);
        if (rows.length < chunkSize) break;
      }
    }
  }

  async rewriteQueries(fn: (query: string) => string): Promise<number> {
    const now = this.#clock.nowMs();
    let changed = 0;
    for (let day = Math.floor((now - this.#retentionMs) / DAY_MS); day <= Math.floor(now / DAY_MS); day++) {
      changed += await this.#rewriteDay(analyticsDayKey(day * DAY_MS), fn);
    }
    return changed;
  }

  /** Rewrites the questions of one day's list, a chunk at a time. */
  async #rewriteDay(key: string, fn: (query: string) => string): Promise<number> {
    let changed = 0;
    for (let start = 0; ; start += REWRITE_CHUNK) {
      const rows = await redisCall('analytics rewrite', () => this.#redis.lrange(key, start, start + REWRITE_CHUNK - 1));
      const args: (string | number)[] = [];
      rows.forEach((row, i) => {
        const next = rewrittenRow(row, fn);
        if (next !== null) args.push(start + i, row, next);
      });
      if (args.length > 0) changed += Number(await REPLACE_ROWS.run(this.#redis, 'analytics rewrite', [key], args));
      if (rows.length < REWRITE_CHUNK) return changed;
    }
  }
}

/** The row with its question's query rewritten, or null when it stays as it is. */
function rewrittenRow(row: string, fn: (query: string) => string): string | null {
  try {
    const v = JSON.parse(row) as Record<string, unknown>;
    if (v.kind !== 'question' || typeof v.query !== 'string') return null;
    const query = fn(v.query);
    return query === v.query ? null : JSON.stringify({ ...v, query });
  } catch {
    return null;
  }
}
