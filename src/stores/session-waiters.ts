/**
 * Pending web chat long-polls by session, shared by the memory and Redis outboxes: each waiter
 * ends once (woken, timed out or aborted) and removes itself.
 */

/** One pending wait. */
export interface Waiter {
  /** Resolves when the wait ends; never rejects. */
  readonly promise: Promise<void>;
  /** Ends the wait now (a no-op once ended). */
  readonly done: () => void;
  /** True once the wait has ended. */
  readonly ended: () => boolean;
}

/** The pending waits of every session. */
export class SessionWaiters {
  readonly #bySession = new Map<string, Set<() => void>>();

  /** A wait on `sessionId` that ends when woken, after `timeoutMs`, or when `signal` aborts. */
  add(sessionId: string, timeoutMs: number, signal?: AbortSignal): Waiter {
    let set = this.#bySession.get(sessionId);
    if (set === undefined) {
      set = new Set();
      this.#bySession.set(sessionId, set);
    }
    const waiters = set;
    let ended = false;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    const done = (): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      waiters.delete(done);
      if (waiters.size === 0 && this.#bySession.get(sessionId) === waiters) this.#bySession.delete(sessionId);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, timeoutMs));
    waiters.add(done);
    signal?.addEventListener('abort', done, { once: true });
    return { promise, done, ended: () => ended };
  }

  /** Ends every wait on `sessionId`. */
  wake(sessionId: string): void {
    const waiters = this.#bySession.get(sessionId);
    if (waiters !== undefined) for (const done of [...waiters]) done();
  }

  /** Ends every wait. */
  wakeAll(): void {
    for (const waiters of [...this.#bySession.values()]) for (const done of [...waiters]) done();
  }

  /** Number of pending waits. */
  get size(): number {
    let n = 0;
    for (const waiters of this.#bySession.values()) n += waiters.size;
    return n;
  }
}
