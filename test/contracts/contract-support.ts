/**
 * What every contract suite gets from an implementation under test, and small helpers.
 */
import type { Clock } from '../../src/core/ports.ts';

/** A fresh, empty implementation and how to dispose of it. */
export interface Fresh<T> {
  readonly impl: T;
  cleanup(): Promise<void>;
  /**
   * Lets `ms` pass for expiry purposes: moves an injected clock (memory) or really sleeps
   * (Redis, whose TTLs run on the server's clock). Default: a real sleep.
   */
  advance?(ms: number): Promise<void>;
  /**
   * A second instance on the same backing store, as another app instance would have
   * (Redis: another client connection with the same prefix). Memory: the same object.
   */
  sibling?(): Promise<T>;
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  #nowMs: number;
  constructor(startMs = 1_750_000_000_000) {
    this.#nowMs = startMs;
  }
  nowMs(): number {
    return this.#nowMs;
  }
  advance(ms: number): void {
    this.#nowMs += ms;
  }
}

/** Waits `ms` milliseconds of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets `ms` pass for `fresh` (its `advance`, or a real sleep). */
export function advance(fresh: Fresh<unknown>, ms: number): Promise<void> {
  return fresh.advance ? fresh.advance(ms) : sleep(ms);
}

/** A promise with its resolve function outside (to hold a lock open). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Polls `check` until it is true, or throws after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 2_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
