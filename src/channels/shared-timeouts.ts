/**
 * Time limits for outgoing HTTP calls without a timer of their own per call.
 *
 * `AbortSignal.timeout()` arms a timer for every call, which keeps running long after the call
 * is done (and registers the signal for the GC to clean up): at hundreds of Bot API calls a
 * second that is a measurable share of the CPU. Here the calls that start within the same
 * slice of time share one signal, aborted once the last of them has had its full limit.
 */
import { setMaxListeners } from 'node:events';

/** Longest slice, ms: how late at most a long limit (15 s) fires. */
const MAX_SLICE_MS = 1_000;

/**
 * Hands out shared abort signals. A call is never cut before `timeoutMs`, and at most one
 * slice later (a tenth of the limit, at most {@link MAX_SLICE_MS}). The signal aborts with a
 * `TimeoutError` DOMException, as `AbortSignal.timeout()` does.
 */
export class SharedTimeouts {
  readonly #open = new Map<string, AbortSignal>();

  /** A signal that aborts between `timeoutMs` and `timeoutMs` + one slice after `nowMs`. */
  signal(timeoutMs: number, nowMs: number = Date.now()): AbortSignal {
    const sliceMs = Math.max(1, Math.min(MAX_SLICE_MS, Math.floor(timeoutMs / 10)));
    const slice = Math.floor(nowMs / sliceMs);
    const key = `${timeoutMs}:${slice}`;
    const open = this.#open.get(key);
    if (open) return open;
    const controller = new AbortController();
    // One listener per call in flight; many calls share a signal by design.
    setMaxListeners(0, controller.signal);
    this.#open.set(key, controller.signal);
    const timer = setTimeout(() => {
      this.#open.delete(key);
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, (slice + 1) * sliceMs - nowMs + timeoutMs);
    timer.unref();
    return controller.signal;
  }
}
