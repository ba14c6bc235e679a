/**
 * Analytics events in process memory (one instance; gone after a restart), dropped once
 * older than the retention period.
 */
import { systemClock, type AnalyticsEvent, type AnalyticsStore, type Clock } from '../../core/ports.ts';
import { jsonCopy } from '../defaults.ts';

/** Default retention of analytics events: 90 days, ms (ANALYTICS_RETENTION_DAYS). */
export const DEFAULT_ANALYTICS_RETENTION_MS = 90 * 86_400_000;

/** Options of {@link MemoryAnalyticsStore}. */
export interface MemoryAnalyticsStoreOptions {
  /** How long an event is kept after its `atMs`, ms. Default 90 days. */
  readonly retentionMs?: number;
  /** The clock deciding what is too old. Default: the system clock. */
  readonly clock?: Clock;
}

/** In-memory {@link AnalyticsStore}: an array kept in time order. */
export class MemoryAnalyticsStore implements AnalyticsStore {
  #events: AnalyticsEvent[] = [];
  readonly #retentionMs: number;
  readonly #clock: Clock;

  constructor(options: MemoryAnalyticsStoreOptions = {}) {
    this.#retentionMs = options.retentionMs ?? DEFAULT_ANALYTICS_RETENTION_MS;
    this.#clock = options.clock ?? systemClock;
  }

  async record(events: readonly AnalyticsEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const e of events) this.#events.push(jsonCopy(e));
    this.#events.sort((a, b) => a.atMs - b.atMs);
    this.#prune();
  }

  async range(sinceMs: number, untilMs: number): Promise<AnalyticsEvent[]> {
    this.#prune();
    return this.#events.filter((e) => e.atMs >= sinceMs && e.atMs < untilMs).map(jsonCopy);
  }

  async scan(sinceMs: number, untilMs: number, onChunk: (events: AnalyticsEvent[]) => void | Promise<void>, chunkSize = 5_000): Promise<void> {
    const all = await this.range(sinceMs, untilMs);
    for (let i = 0; i < all.length; i += chunkSize) await onChunk(all.slice(i, i + chunkSize));
  }

  async rewriteQueries(fn: (query: string) => string): Promise<number> {
    let changed = 0;
    this.#events = this.#events.map((e) => {
      if (e.kind !== 'question') return e;
      const query = fn(e.query);
      if (query === e.query) return e;
      changed++;
      return { ...e, query };
    });
    return changed;
  }

  #prune(): void {
    const oldest = this.#clock.nowMs() - this.#retentionMs;
    const keepFrom = this.#events.findIndex((e) => e.atMs >= oldest);
    if (keepFrom === -1) this.#events = [];
    else if (keepFrom > 0) this.#events.splice(0, keepFrom);
  }
}
