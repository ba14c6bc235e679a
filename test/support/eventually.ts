/** Polling for tests that wait on something asynchronous (a reply, a queue entry, a log line). */
import { scaled } from './time-scale.ts';

/** Resolves with `check`'s result once it passes (retried every 20 ms), or rethrows its last error after `timeoutMs` (scaled to the machine's load). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + scaled(timeoutMs);
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
