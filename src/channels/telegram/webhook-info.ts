/**
 * Is Telegram actually delivering to our webhook? getWebhookInfo says where Telegram posts
 * updates, how many wait, and the last error it met (e.g. "Wrong response from the webhook:
 * 401 Unauthorized" when the secret does not match). Checked when the bot starts and then
 * periodically; /readyz shows the verdict, and a warning is logged when it turns bad.
 * https://core.telegram.org/bots/api#getwebhookinfo
 */
import type { Clock, Logger } from '../../core/ports.ts';
import type { ChannelHealth } from '../setup-types.ts';
import type { TelegramApiClient } from './api-client.ts';

/** Default time between two getWebhookInfo checks, ms (5 min). */
export const TELEGRAM_WEBHOOK_CHECK_INTERVAL_MS = 5 * 60_000;

/** Timeout of one getWebhookInfo call, ms. */
const CHECK_TIMEOUT_MS = 5_000;

/**
 * While the verdict is bad, /readyz checks again once this long has passed, ms: right after a
 * restart Telegram still shows the errors of the downtime until it delivers the waiting updates.
 */
export const TELEGRAM_WEBHOOK_RECHECK_BAD_MS = 30_000;

/** The fields of Telegram's WebhookInfo we judge by. */
export interface TelegramWebhookInfo {
  readonly url: string;
  readonly pending_update_count: number;
  /** Unix time (seconds) of the last delivery error. */
  readonly last_error_date?: number;
  readonly last_error_message?: string;
}

/** What the check needs. */
export interface TelegramWebhookMonitorOptions {
  readonly api: TelegramApiClient;
  /** `${PUBLIC_URL}/webhooks/telegram` when we registered it; undefined when someone else did. */
  readonly expectedUrl?: string;
  /** When our route last accepted an update, epoch ms (errors older than that are over). */
  readonly lastAcceptedMs: () => number | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs?: number;
}

/**
 * The verdict on one WebhookInfo. Broken when no URL is set, the URL is not ours, or Telegram
 * met an error it has not got past: one newer than the last update we accepted, with updates
 * still waiting. An old error we have since recovered from is not held against the webhook.
 */
export function judgeWebhookInfo(info: TelegramWebhookInfo, expectedUrl: string | undefined, lastAcceptedMs: number | undefined): ChannelHealth {
  const pending = info.pending_update_count;
  if (info.url === '') return { ok: false, detail: `no webhook set at Telegram: updates are not delivered (${pending} waiting)` };
  if (expectedUrl !== undefined && info.url !== expectedUrl) {
    return { ok: false, detail: `Telegram posts updates to ${info.url}, not to ${expectedUrl}` };
  }
  const errorMs = info.last_error_date !== undefined ? info.last_error_date * 1000 : undefined;
  if (errorMs !== undefined && pending > 0 && errorMs > (lastAcceptedMs ?? 0)) {
    const said = info.last_error_message ?? 'unknown error';
    return { ok: false, detail: `Telegram cannot deliver updates: "${said}" at ${new Date(errorMs).toISOString()}, ${pending} waiting` };
  }
  return { ok: true, detail: `webhook delivering (${pending} waiting)` };
}

/** Checks the webhook at start and every `intervalMs`; remembers the last verdict. */
export class TelegramWebhookMonitor {
  #verdict: ChannelHealth | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastCheckMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: TelegramWebhookMonitorOptions) {}

  /** Checks now (awaited), then every interval in the background. */
  async start(): Promise<void> {
    await this.check();
    this.stop();
    this.#timer = setInterval(() => void this.check(), this.options.intervalMs ?? TELEGRAM_WEBHOOK_CHECK_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Stops the periodic check. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The last verdict; undefined before the first check answered. */
  current(): ChannelHealth | undefined {
    return this.#verdict;
  }

  /** The verdict for /readyz: a bad one older than TELEGRAM_WEBHOOK_RECHECK_BAD_MS is checked again first. */
  async forReadiness(): Promise<ChannelHealth | undefined> {
    if (this.#verdict?.ok === false && this.options.clock.nowMs() - this.#lastCheckMs >= TELEGRAM_WEBHOOK_RECHECK_BAD_MS) await this.check();
    return this.#verdict;
  }

  /** Calls getWebhookInfo and judges it. A failed call keeps the last verdict (getMe reports the outage). Never throws. */
  async check(): Promise<ChannelHealth | undefined> {
    const { api, logger } = this.options;
    this.#lastCheckMs = this.options.clock.nowMs();
    let info: TelegramWebhookInfo;
    try {
      const raw = await api.call('getWebhookInfo', {}, { retry: false, timeoutMs: CHECK_TIMEOUT_MS });
      info = { ...raw, url: raw.url ?? '', pending_update_count: raw.pending_update_count ?? 0 };
    } catch (err) {
      logger.warn({ reason: err instanceof Error ? api.clean(err.message) : 'failed' }, 'telegram getWebhookInfo failed');
      return this.#verdict;
    }
    const verdict = judgeWebhookInfo(info, this.options.expectedUrl, this.options.lastAcceptedMs());
    if (!verdict.ok && this.#verdict?.ok !== false) logger.error({ detail: verdict.detail }, 'TELEGRAM WEBHOOK BROKEN: citizens are not being heard');
    if (verdict.ok && this.#verdict?.ok === false) logger.info({ detail: verdict.detail }, 'telegram webhook delivering again');
    this.#verdict = verdict;
    return verdict;
  }
}
