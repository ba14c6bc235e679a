/**
 * Sliding-window budgets in process memory (one instance). Each window keeps the times of its
 * takes within the window; keys idle past their window are swept, and their number is bounded.
 */
import type { BudgetDecision, BudgetWindow, RateBudget } from '../../core/ports.ts';

/** Keys kept at most; past it the least recently used are dropped (an address flood cannot grow memory). */
export const MEMORY_BUDGET_KEYS_MAX = 100_000;

interface Log {
  windowMs: number;
  /** Times of the takes within the window, oldest first. */
  times: number[];
}

/** In-memory {@link RateBudget}. Never rejects. */
export class MemoryRateBudget implements RateBudget {
  readonly #logs = new Map<string, Log>();
  readonly #maxKeys: number;

  constructor(options: { readonly maxKeys?: number } = {}) {
    this.#maxKeys = Math.max(1, options.maxKeys ?? MEMORY_BUDGET_KEYS_MAX);
  }

  async take(windows: readonly BudgetWindow[], nowMs: number): Promise<BudgetDecision> {
    for (const w of windows) {
      const times = this.#prune(w, nowMs);
      if (times.length >= w.limit) {
        const freeAt = (times[times.length - w.limit] ?? nowMs) + w.windowMs;
        return { ok: false, key: w.key, retryAfterMs: Math.max(1, freeAt - nowMs) };
      }
    }
    for (const w of windows) {
      const log = this.#logs.get(w.key) ?? { windowMs: w.windowMs, times: [] };
      log.times.push(nowMs);
      this.#logs.delete(w.key); // most recently used last
      this.#logs.set(w.key, log);
    }
    this.#bound(nowMs);
    return { ok: true };
  }

  /** Keys held (for tests). */
  get size(): number {
    return this.#logs.size;
  }

  /** The window's takes still inside it (older ones dropped). */
  #prune(w: BudgetWindow, nowMs: number): number[] {
    const log = this.#logs.get(w.key);
    if (!log) return [];
    const from = nowMs - w.windowMs;
    let i = 0;
    while (i < log.times.length && log.times[i]! <= from) i++;
    if (i > 0) log.times.splice(0, i);
    return log.times;
  }

  /** Drops idle keys when over the bound, then the least recently used ones. */
  #bound(nowMs: number): void {
    if (this.#logs.size <= this.#maxKeys) return;
    for (const [key, log] of this.#logs) {
      const last = log.times[log.times.length - 1] ?? 0;
      if (last <= nowMs - log.windowMs) this.#logs.delete(key);
    }
    for (const key of this.#logs.keys()) {
      if (this.#logs.size <= this.#maxKeys) break;
      this.#logs.delete(key);
    }
  }
}
