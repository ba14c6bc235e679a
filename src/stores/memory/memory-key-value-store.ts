/**
 * The small shared key-value store in process memory (one instance only).
 */
import { systemClock, type Clock, type KeyValueStore } from '../../core/ports.ts';
import { TtlMap } from './ttl-map.ts';

/** Options of {@link MemoryKeyValueStore}. */
export interface MemoryKeyValueStoreOptions {
  /** Time source for expiry (tests move it). Default: the system clock. */
  readonly clock?: Clock;
}

/** In-memory {@link KeyValueStore}; `set` without `ttlMs` clears an earlier expiry (as Redis SET). */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #values: TtlMap<string>;

  constructor(options: MemoryKeyValueStoreOptions = {}) {
    this.#values = new TtlMap(options.clock ?? systemClock);
  }

  async get(key: string): Promise<string | null> {
    return this.#values.get(key) ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.#values.set(key, value, ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#values.has(key)) return false;
    this.#values.set(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#values.delete(key);
  }
}
