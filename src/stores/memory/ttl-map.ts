/**
 * A Map whose entries may expire, read against an injectable clock. Expired entries are
 * dropped when read and by an occasional sweep, so keys written once and never read again
 * (de-duplication markers) do not pile up.
 */
import { systemClock, type Clock } from '../../core/ports.ts';

interface Entry<V> {
  value: V;
  /** Epoch ms after which the entry is gone; undefined = never. */
  expiresAtMs: number | undefined;
}

/** How often (at most) a write sweeps every expired entry, in ms of the clock. */
const SWEEP_INTERVAL_MS = 60_000;

/** A Map with per-entry expiry (milliseconds, on `clock`). */
export class TtlMap<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #clock: Clock;
  #lastSweepMs: number;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
    this.#lastSweepMs = clock.nowMs();
  }

  /** The live value of `key`, or undefined when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.#live(key);
    return entry?.value;
  }

  /** True when `key` holds a live value. */
  has(key: string): boolean {
    return this.#live(key) !== undefined;
  }

  /** Sets `key`; `ttlMs` undefined = no expiry (clears an earlier one, like Redis SET). */
  set(key: string, value: V, ttlMs?: number): void {
    this.#maybeSweep();
    this.#entries.set(key, { value, expiresAtMs: this.#expiry(ttlMs) });
  }

  /** Refreshes the expiry of a live entry; false when there is none. */
  expire(key: string, ttlMs: number): boolean {
    const entry = this.#live(key);
    if (entry === undefined) return false;
    entry.expiresAtMs = this.#expiry(ttlMs);
    return true;
  }

  /** Deletes `key`; true when a live value was removed. */
  delete(key: string): boolean {
    const live = this.#live(key) !== undefined;
    this.#entries.delete(key);
    return live;
  }

  /** Number of stored entries, expired ones not yet swept included. */
  get size(): number {
    return this.#entries.size;
  }

  #expiry(ttlMs: number | undefined): number | undefined {
    return ttlMs === undefined ? undefined : this.#clock.nowMs() + Math.max(0, ttlMs);
  }

  #live(key: string): Entry<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs !== undefined && entry.expiresAtMs <= this.#clock.nowMs()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #maybeSweep(): void {
    const now = this.#clock.nowMs();
    if (now - this.#lastSweepMs < SWEEP_INTERVAL_MS) return;
    this.#lastSweepMs = now;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAtMs !== undefined && entry.expiresAtMs <= now) this.#entries.delete(key);
    }
  }
}
