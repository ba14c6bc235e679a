/**
 * The audit log in process memory (one instance; gone after a restart).
 */
import { systemClock, type AuditEntry, type AuditLog, type Clock } from '../../core/ports.ts';
import { parseConversationId, type ConversationId } from '../../core/types.ts';
import { jsonCopy } from '../defaults.ts';

/** Entries kept by default before the oldest are dropped. */
export const DEFAULT_AUDIT_MAX = 10_000;
/** How long an entry is kept by default: 180 days, ms (AUDIT_RETENTION_DAYS). */
export const DEFAULT_AUDIT_RETENTION_MS = 180 * 86_400_000;

/** Options of {@link MemoryAuditLog}. */
export interface MemoryAuditLogOptions {
  /** Entries kept (oldest dropped past it). Default {@link DEFAULT_AUDIT_MAX}. */
  readonly max?: number;
  /** How long an entry is kept after its `atMs`, ms. Default {@link DEFAULT_AUDIT_RETENTION_MS}. */
  readonly retentionMs?: number;
  /** The clock deciding what is too old. Default: the system clock. */
  readonly clock?: Clock;
}

/** The entry as stored: with a conversation id, its channel too. */
export function auditEntryToStore(entry: AuditEntry): AuditEntry {
  const channel = entry.channel ?? (entry.conversationId ? parseConversationId(entry.conversationId)?.channel : undefined);
  return { ...entry, ...(channel ? { channel } : {}) };
}

/** In-memory {@link AuditLog}. */
export class MemoryAuditLog implements AuditLog {
  #entries: AuditEntry[] = [];
  readonly #max: number;
  readonly #retentionMs: number;
  readonly #clock: Clock;

  constructor(options: MemoryAuditLogOptions = {}) {
    this.#max = options.max ?? DEFAULT_AUDIT_MAX;
    this.#retentionMs = options.retentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
    this.#clock = options.clock ?? systemClock;
  }

  async append(entry: AuditEntry): Promise<void> {
    this.#expire();
    this.#entries.push(jsonCopy(auditEntryToStore(entry)));
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    this.#expire();
    if (limit <= 0) return [];
    const oldest = this.#clock.nowMs() - this.#retentionMs;
    return this.#entries.filter((e) => e.atMs >= oldest).slice(-limit).reverse().map(jsonCopy);
  }

  async forget(conversationId: ConversationId): Promise<number> {
    let changed = 0;
    this.#entries = this.#entries.map((e) => {
      if (e.conversationId !== conversationId) return e;
      changed++;
      const { conversationId: _gone, ...rest } = e;
      return rest;
    });
    return changed;
  }

  /** Drops entries older than the retention. */
  #expire(): void {
    const oldest = this.#clock.nowMs() - this.#retentionMs;
    const firstKept = this.#entries.findIndex((e) => e.atMs >= oldest);
    if (firstKept !== 0) this.#entries = firstKept < 0 ? [] : this.#entries.slice(firstKept);
  }
}
