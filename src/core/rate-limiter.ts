/**
 * A per-conversation fixed-window rate limiter (in process). It answers 'first-over' once per
 * window so the citizen gets one polite message, not one per extra message.
 */

/** Result of counting one message. */
export type RateDecision = 'ok' | 'first-over' | 'over';

/** Counts messages per key in windows of `windowMs`; `limit` 0 disables it. */
export class RateLimiter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one message for `key` at `nowMs`. */
  hit(key: string, nowMs: number): RateDecision {
    if (this.limit <= 0) return 'ok';
    let w = this.windows.get(key);
    if (!w || nowMs - w.startMs >= this.windowMs) {
      w = { startMs: nowMs, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 50_000) this.sweep(nowMs);
    }
    w.count += 1;
    if (w.count <= this.limit) return 'ok';
    return w.count === this.limit + 1 ? 'first-over' : 'over';
  }

  private sweep(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.startMs >= this.windowMs) this.windows.delete(k);
  }
}
