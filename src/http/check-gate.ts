/**
 * A gate for expensive work (password checks): at most `maxRunning` at once in this process,
 * at most `maxWaiting` queued behind them; past that, callers are turned away at once, so a
 * flood of logins cannot take the CPU, the memory or libuv's thread pool from everyone else.
 */

/** The queue is full: try again shortly. */
export class GateBusyError extends Error {
  readonly code = 'GATE_BUSY';
  constructor() {
    super('too many checks waiting');
  }
}

/** Bounded concurrency with a bounded FIFO queue. */
export class CheckGate {
  #running = 0;
  #peak = 0;
  #total = 0;
  readonly #waiting: (() => void)[] = [];

  /**
   * @param maxRunning - tasks run at once (≥ 1)
   * @param maxWaiting - tasks queued behind them (≥ 0)
   */
  constructor(
    readonly maxRunning: number,
    readonly maxWaiting: number,
  ) {}

  /** Runs `task` when a place is free; rejects with {@link GateBusyError} at once when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.maxRunning) {
      if (this.#waiting.length >= this.maxWaiting) throw new GateBusyError();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    this.#peak = Math.max(this.#peak, this.#running);
    this.#total++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next(); // the place passes to the next in line
      else this.#running--;
    }
  }

  /** Tasks running now. */
  get running(): number {
    return this.#running;
  }

  /** The most tasks that ever ran at once. */
  get peak(): number {
    return this.#peak;
  }

  /** Tasks run so far. */
  get total(): number {
    return this.#total;
  }
}
