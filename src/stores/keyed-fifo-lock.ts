/**
 * An in-process mutex per key with a strict FIFO queue of waiters. The memory store uses it
 * alone; the Redis store puts it in front of the Redis lock so messages that reach one
 * instance are handled in arrival order (the Redis lock alone is not fair).
 */
import { LockTimeoutError } from '../core/errors.ts';

interface Waiter {
  readonly grant: () => void;
  readonly timer: NodeJS.Timeout;
}

interface KeyState {
  /** Waiters in arrival order; the holder is not in this list. */
  readonly waiters: Waiter[];
}

/** Releases a lock taken with {@link KeyedFifoLock.acquire}; calling it twice is harmless. */
export type ReleaseLock = () => void;

/**
 * Per-key FIFO mutex for one process. Keys that are not held take no memory.
 */
export class KeyedFifoLock {
  readonly #held = new Map<string, KeyState>();

  /**
   * Takes the lock of `key`, waiting behind earlier callers in call order.
   * Rejects with `LockTimeoutError` (and leaves the queue) when not granted within `waitMs`.
   */
  acquire(key: string, waitMs: number): Promise<ReleaseLock> {
    const state = this.#held.get(key);
    if (state === undefined) {
      this.#held.set(key, { waiters: [] });
      return Promise.resolve(this.#releaser(key));
    }
    return new Promise<ReleaseLock>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => resolve(this.#releaser(key)),
        timer: setTimeout(() => {
          const i = state.waiters.indexOf(waiter);
          if (i >= 0) state.waiters.splice(i, 1);
          reject(new LockTimeoutError(key));
        }, Math.max(0, waitMs)),
      };
      state.waiters.push(waiter);
    });
  }

  /** Number of keys currently held (for tests and metrics). */
  get heldCount(): number {
    return this.#held.size;
  }

  #releaser(key: string): ReleaseLock {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const state = this.#held.get(key);
      if (state === undefined) return;
      const next = state.waiters.shift();
      if (next === undefined) {
        this.#held.delete(key);
        return;
      }
      clearTimeout(next.timer);
      next.grant();
    };
  }
}
