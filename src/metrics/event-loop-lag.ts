/**
 * How late the event loop runs: the backlog a process cannot see otherwise. Under overload the
 * work waits in HTTP sockets before the app has counted it, and every callback, Redis replies
 * included, runs late by the same amount. Measured with `perf_hooks.monitorEventLoopDelay`
 * (a libuv timer every `resolutionMs`, whose lateness is recorded in a histogram), read in
 * short windows, plus how overdue the window's own timer is (a loop stuck right now). Each
 * overdue window timer is also kept as a stall with the moment it ended, so that a reader can
 * ask whether the loop stalled while one particular call was out (a window's maximum cannot
 * say whether its stall came before or after that call began).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Options of {@link EventLoopLag}; all in ms. */
export interface EventLoopLagOptions {
  /** Sampling period of monitorEventLoopDelay. Default 10. */
  readonly resolutionMs?: number;
  /** Length of one window of readings. Default 100. */
  readonly windowMs?: number;
  /** How much history {@link EventLoopLag.maxSinceMs} can look back over. Default 60 000. */
  readonly historyMs?: number;
  /** Current time, epoch ms. Default Date.now. */
  readonly nowMs?: () => number;
}

/** What readers of the lag need (the shedding, the Redis stores' time-out triage, metrics). */
export interface LagProbe {
  /** The lag now: the worst delay of the current and the previous window, or how overdue the loop is, ms. */
  currentMs(): number;
  /** The longest stall of the loop that ended after `sinceMs` (epoch ms), or the one going on now, ms. */
  maxSinceMs(sinceMs: number): number;
  /** The worst delay of the windows that closed after `sinceMs` (epoch ms) and of the open one, ms. */
  worstSinceMs(sinceMs: number): number;
}

/** One closed window: when it ended and the worst delay in it. */
interface Window {
  endMs: number;
  maxMs: number;
}

/** Event-loop lag over short windows. Call {@link EventLoopLag.start} once; {@link EventLoopLag.stop} at shutdown. */
export class EventLoopLag implements LagProbe {
  readonly #resolutionMs: number;
  readonly #windowMs: number;
  readonly #windows: Window[];
  /** Stalls of the window timer: when each ended and how long past its due time it ran. */
  readonly #stalls: Window[];
  readonly #nowMs: () => number;
  #next = 0;
  #nextStall = 0;
  #histogram: IntervalHistogram | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastRollMs = 0;

  constructor(options: EventLoopLagOptions = {}) {
    this.#resolutionMs = Math.max(1, options.resolutionMs ?? 10);
    this.#windowMs = Math.max(this.#resolutionMs, options.windowMs ?? 100);
    const count = Math.max(2, Math.ceil((options.historyMs ?? 60_000) / this.#windowMs));
    this.#windows = Array.from({ length: count }, () => ({ endMs: 0, maxMs: 0 }));
    this.#stalls = Array.from({ length: 64 }, () => ({ endMs: 0, maxMs: 0 }));
    this.#nowMs = options.nowMs ?? Date.now;
  }

  /** Starts measuring (idempotent). The timers are unref'd: they never keep the process alive. */
  start(): void {
    if (this.#histogram) return;
    this.#histogram = monitorEventLoopDelay({ resolution: this.#resolutionMs });
    this.#histogram.enable();
    this.#lastRollMs = this.#nowMs();
    this.#timer = setInterval(() => this.#roll(), this.#windowMs);
    this.#timer.unref();
  }

  /** Stops measuring (idempotent); readings then stay at what was last seen. */
  stop(): void {
    this.#histogram?.disable();
    this.#histogram = undefined;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  currentMs(): number {
    const previous = this.#windows[(this.#next + this.#windows.length - 1) % this.#windows.length]!;
    return Math.max(previous.maxMs, this.#openWindowMs(), this.#overdueMs());
  }

  maxSinceMs(sinceMs: number): number {
    let max = this.#overdueMs();
    for (const s of this.#stalls) if (s.endMs > sinceMs && s.maxMs > max) max = s.maxMs;
    return max;
  }

  worstSinceMs(sinceMs: number): number {
    let max = Math.max(this.#openWindowMs(), this.#overdueMs());
    for (const w of this.#windows) if (w.endMs >= sinceMs && w.maxMs > max) max = w.maxMs;
    return max;
  }

  /** The worst delay of the window still open, ms (the histogram holds the timer's whole interval). */
  #openWindowMs(): number {
    const h = this.#histogram;
    if (!h || h.count === 0) return 0;
    return Math.max(0, h.max / 1e6 - this.#resolutionMs);
  }

  /** How long past its due time the window timer is: a loop busy right now, ms. */
  #overdueMs(): number {
    if (!this.#timer) return 0;
    return Math.max(0, this.#nowMs() - this.#lastRollMs - this.#windowMs);
  }

  #roll(): void {
    const now = this.#nowMs();
    const slot = this.#windows[this.#next]!;
    // A late roll is itself a reading: the loop could not run this timer on time.
    const overdueMs = this.#overdueMs();
    if (overdueMs >= this.#resolutionMs) {
      const stall = this.#stalls[this.#nextStall]!;
      stall.endMs = now;
      stall.maxMs = overdueMs;
      this.#nextStall = (this.#nextStall + 1) % this.#stalls.length;
    }
    slot.maxMs = Math.max(this.#openWindowMs(), overdueMs);
    slot.endMs = now;
    this.#next = (this.#next + 1) % this.#windows.length;
    this.#lastRollMs = now;
    this.#histogram?.reset();
  }
}
