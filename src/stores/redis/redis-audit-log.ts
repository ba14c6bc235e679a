/**
 * The audit log in Redis: one bounded list, newest first, under `audit:log` (after the prefix).
 * Survives restarts (with Redis persistence) and is shared by every instance.
 */
import type { Redis } from 'ioredis';
import type { AuditAction, AuditEntry, AuditLog } from '../../core/ports.ts';
import type { ConversationId } from '../../core/types.ts';
import { redisCall } from './redis-call.ts';
import { DEFAULT_AUDIT_MAX } from '../memory/memory-audit-log.ts';

const LOG = 'audit:log';

/** Options of {@link RedisAuditLog}. */
export interface RedisAuditLogOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: Redis;
  /** Entries kept (oldest dropped past it). Default 10 000. */
  readonly max?: number;
}

function parseEntry(json: string): AuditEntry | null {
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    if (typeof v.atMs !== 'number' || typeof v.actor !== 'string' || typeof v.action !== 'string') return null;
    return {
      atMs: v.atMs,
      actor: v.actor,
      action: v.action as AuditAction,
      ...(typeof v.conversationId === 'string' && { conversationId: v.conversationId as ConversationId }),
      ...(typeof v.detail === 'string' && { detail: v.detail }),
    };
  } catch {
    return null;
  }
}

/** {@link AuditLog} on a Redis list (LPUSH + LTRIM in one transaction). */
export class RedisAuditLog implements AuditLog {
  readonly #redis: Redis;
  readonly #max: number;

  constructor(options: RedisAuditLogOptions) {
    this.#redis = options.redis;
    this.#max = options.max ?? DEFAULT_AUDIT_MAX;
  }

  async append(entry: AuditEntry): Promise<void> {
    await redisCall('audit append', () =>
      this.#redis
        .multi()
        .lpush(LOG, JSON.stringify(entry))
        .ltrim(LOG, 0, this.#max - 1)
        .exec(),
    );
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    const rows = await redisCall('audit recent', () => this.#redis.lrange(LOG, 0, limit - 1));
    return rows.map(parseEntry).filter((e): e is AuditEntry => e !== null);
  }
}
