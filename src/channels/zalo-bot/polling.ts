/**
 * getUpdates polling for local use (no public URL). One loop, stoppable: stop() aborts the
 * long poll in flight and resolves when the loop has ended.
 */
import type { Logger } from '../../core/ports.ts';
import { ChannelRejectedError } from '../../core/errors.ts';
import type { ZaloBotClient } from './client.ts';
import type { ZaloBotDispatcher } from './dispatch.ts';
import { ZALO_BOT_POLL_TIMEOUT_S } from './limits.ts';

/** Options of the poller. */
export interface ZaloBotPollerOptions {
  readonly client: ZaloBotClient;
  readonly dispatch: ZaloBotDispatcher;
  readonly logger: Logger;
  /** Long-poll wait per call, seconds; default ZALO_BOT_POLL_TIMEOUT_S. */
  readonly timeoutS?: number;
  /** Pause after a failed poll, ms (doubles up to 30 s while failures repeat); default 1000. */
  readonly errorDelayMs?: number;
}

/** Polls the Bot Platform and dispatches each update. */
export class ZaloBotPoller {
  readonly #options: ZaloBotPollerOptions;
  #controller: AbortController | null = null;
  #loop: Promise<void> | null = null;
  /** Set while the last poll failed (for health). */
  lastError: string | null = null;

  constructor(options: ZaloBotPollerOptions) {
    this.#options = options;
  }

  /** True while the loop runs. */
  get running(): boolean {
    return this.#loop !== null;
  }

  /** Starts the loop (no-op when already running). */
  start(): void {
    if (this.#loop) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#loop = this.#run(controller.signal).finally(() => {
      this.#loop = null;
    });
  }

  /** Stops the loop: aborts the poll in flight and waits for the loop to end. */
  async stop(): Promise<void> {
    this.#controller?.abort();
    await this.#loop;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { client, dispatch, logger } = this.#options;
    const baseDelay = this.#options.errorDelayMs ?? 1000;
    let failures = 0;
    logger.info({}, 'zalo-bot polling started');
    while (!signal.aborted) {
      try {
        const updates = await client.getUpdates(this.#options.timeoutS ?? ZALO_BOT_POLL_TIMEOUT_S, signal);
        failures = 0;
        this.lastError = null;
        for (const update of updates) dispatch(update);
      } catch (err) {
        if (signal.aborted) break;
        failures += 1;
        this.lastError = err instanceof Error ? err.message : 'poll failed';
        const hint = err instanceof ChannelRejectedError ? ' (is a webhook still set? getUpdates needs deleteWebhook)' : '';
        logger.warn({ err, failures }, `zalo-bot poll failed${hint}`);
        await sleep(Math.min(30_000, baseDelay * 2 ** Math.min(failures - 1, 5)), signal);
      }
    }
    logger.info({}, 'zalo-bot polling stopped');
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
