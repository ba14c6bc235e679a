/**
 * The audit log in process memory (one instance; gone after a restart).
 */
import type { AuditEntry, AuditLog } from '../../core/ports.ts';
import { jsonCopy } from '../defaults.ts';

/** Entries kept by default before the oldest are dropped. */
export const DEFAULT_AUDIT_MAX = 10_000;

/** Options of {@link MemoryAuditLog}. */
export interface MemoryAuditLogOptions {
  /** Entries kept (oldest dropped past it). Default {@link DEFAULT_AUDIT_MAX}. */
  readonly max?: number;
}

/** In-memory {@link AuditLog}. */
export class MemoryAuditLog implements AuditLog {
  readonly #entries: AuditEntry[] = [];
  readonly #max: number;

  constructor(options: MemoryAuditLogOptions = {}) {
    this.#max = options.max ?? DEFAULT_AUDIT_MAX;
  }

  async append(entry: AuditEntry): Promise<void> {
    this.#entries.push(jsonCopy(entry));
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    return this.#entries.slice(-limit).reverse().map(jsonCopy);
  }
}
