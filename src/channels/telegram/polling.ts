/**
 * Long polling for running on a laptop (TELEGRAM_MODE=polling, the default without PUBLIC_URL):
 * deleteWebhook, then getUpdates in a loop with offset tracking. Updates go through the same
 * processor as the webhook route.
 */
import { ChannelRejectedError, RateLimitedError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports.ts';
import type { TelegramApiClient } from './api-client.ts';
import { TELEGRAM_ALLOWED_UPDATES } from './limits.ts';

/** Seconds Telegram holds a getUpdates request open when there is nothing new. */
export const TELEGRAM_POLL_TIMEOUT_S = 25;

/** How to build a poller. */
export interface TelegramPollerOptions {
  readonly api: TelegramApiClient;
  /** Handles one raw update; must not reject (TelegramUpdateProcessor.process). */
  readonly onUpdate: (update: unknown) => Promise<void>;
  readonly logger: Logger;
  /** Long-poll timeout, seconds. Default TELEGRAM_POLL_TIMEOUT_S. */
  readonly timeoutS?: number;
  /** First wait after a failed getUpdates, ms; doubles up to 30 s. Default 1000. */
  readonly errorBackoffMs?: number;
}

/** A stoppable getUpdates loop. */
export class TelegramPoller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private offset = 0;

  constructor(private readonly options: TelegramPollerOptions) {}

  /** Removes any webhook (getUpdates is refused while one is set), then starts the loop in the background. */
  async start(): Promise<void> {
    if (this.loop) return;
    try {
      await this.options.api.call('deleteWebhook', { drop_pending_updates: false }, { signal: this.abort.signal });
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'telegram deleteWebhook failed; polling anyway');
    }
    this.options.logger.info({}, 'telegram polling started');
    this.loop = this.run();
  }

  /** Stops the loop: aborts the pending getUpdates and waits for the loop to end. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { api, logger } = this.options;
    const timeoutS = this.options.timeoutS ?? TELEGRAM_POLL_TIMEOUT_S;
    const firstBackoffMs = this.options.errorBackoffMs ?? 1000;
    let backoffMs = firstBackoffMs;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const updates = await api.call(
          'getUpdates',
          { offset: this.offset, timeout: timeoutS, allowed_updates: TELEGRAM_ALLOWED_UPDATES },
          { signal, retry: false, timeoutMs: (timeoutS + 15) * 1000 },
        );
        backoffMs = firstBackoffMs;
        for (const update of updates) {
          if (typeof update.update_id === 'number') this.offset = Math.max(this.offset, update.update_id + 1);
          await this.options.onUpdate(update);
        }
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof ChannelRejectedError && err.status === 401) {
          logger.error({}, 'telegram rejected the bot token (401); polling stopped');
          break;
        }
        // 409: a webhook is set or another process polls with this token.
        const waitMs = err instanceof RateLimitedError ? Math.max(backoffMs, err.retryAfterMs) : backoffMs;
        const reason = api.clean(err instanceof Error ? err.message : String(err));
        logger.warn({ reason, retryInMs: waitMs }, 'telegram getUpdates failed');
        await this.pause(waitMs);
        backoffMs = Math.min(30_000, backoffMs * 2);
      }
    }
    logger.info({}, 'telegram polling stopped');
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
