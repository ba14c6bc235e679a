/**
 * Is the Zalo Bot Platform posting to our webhook? getWebhookInfo answers the URL it posts to
 * (`{url, updated_at}`, empty when none is set). Checked at start and every 5 minutes in webhook
 * mode; health() reports a missing webhook, or one pointing elsewhere than ours.
 */
import { ChannelRejectedError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports.ts';
import type { ZaloBotClient } from './client.ts';

/** Default time between two getWebhookInfo checks, ms (5 min). */
export const ZALO_BOT_WEBHOOK_CHECK_INTERVAL_MS = 5 * 60_000;

/** The webhook check of one bot. */
export class ZaloBotWebhookCheck {
  /** What is wrong with the webhook, or null (also while unknown). */
  problem: string | null = null;
  #timer: NodeJS.Timeout | undefined;

  /** `expectedUrl`: `${PUBLIC_URL}/webhooks/zalo-bot` when we registered it; undefined when set in the dashboard. */
  constructor(
    private readonly client: ZaloBotClient,
    private readonly expectedUrl: string | undefined,
    private readonly logger: Logger,
  ) {}

  /** Checks now (awaited), then every `intervalMs` in the background. */
  async start(intervalMs = ZALO_BOT_WEBHOOK_CHECK_INTERVAL_MS): Promise<void> {
    await this.check();
    this.stop();
    this.#timer = setInterval(() => void this.check(), intervalMs);
    this.#timer.unref();
  }

  /** Stops the periodic check. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One check. A platform without the method, or a failed call, leaves the verdict as it was. Never throws. */
  async check(): Promise<void> {
    let url: string;
    try {
      const info = await this.client.getWebhookInfo();
      url = typeof info?.url === 'string' ? info.url : '';
    } catch (err) {
      if (!(err instanceof ChannelRejectedError && err.platformCode === 404)) {
        this.logger.warn({ err: err instanceof Error ? err.message : 'failed' }, 'zalo-bot getWebhookInfo failed');
      }
      return;
    }
    const problem =
      url === ''
        ? 'no webhook set at Zalo: updates are not delivered'
        : this.expectedUrl !== undefined && url !== this.expectedUrl
          ? `Zalo posts updates to ${url}, not to ${this.expectedUrl}`
          : null;
    if (problem && this.problem !== problem) this.logger.error({ detail: problem }, 'ZALO BOT WEBHOOK BROKEN: citizens are not being heard');
    this.problem = problem;
  }
}
