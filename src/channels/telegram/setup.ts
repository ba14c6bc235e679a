/**
 * Wires the Telegram channel from the configuration: client, sender, update processor,
 * webhook route or polling loop, lifecycle and health.
 */
import type { Logger } from '../../core/ports.ts';
import type { ChannelSetup, ChannelSetupContext } from '../setup-types.ts';
import { TelegramApiClient, type Sleep, type TelegramRetryPolicy } from './api-client.ts';
import { TelegramBotInfo } from './bot-info.ts';
import { TELEGRAM_ALLOWED_UPDATES } from './limits.ts';
import { TelegramPoller } from './polling.ts';
import { TelegramChannel } from './telegram-channel.ts';
import { TelegramUpdateProcessor, type TelegramStaffUpdateHandler } from './update-processor.ts';
import { TelegramWebhookMonitor } from './webhook-info.ts';
import { TELEGRAM_WEBHOOK_PATH, telegramWebhookPlugin, type TelegramWebhookOptions } from './webhook-route.ts';
import { WebhookWatch } from '../webhook-watch.ts';

/** How long stop() waits for in-flight work and queued sends, ms. */
const STOP_FLUSH_MS = 5_000;

/** Knobs for tests and later issues; production uses the defaults. */
export interface TelegramSetupOptions {
  readonly retry?: Partial<TelegramRetryPolicy>;
  readonly sleep?: Sleep;
  /** Updates from TELEGRAM_STAFF_CHAT_ID go here (the staff-group issue); dropped without one. */
  readonly staffUpdateHandler?: TelegramStaffUpdateHandler;
  /** Long-poll timeout, seconds (tests use 1). */
  readonly pollTimeoutS?: number;
  /** First polling back-off after an error, ms. */
  readonly pollErrorBackoffMs?: number;
  /** Time between two getWebhookInfo checks in webhook mode, ms. */
  readonly webhookCheckIntervalMs?: number;
}

/** The Telegram channel setup, plus its Bot API client and identity for the staff group. */
export interface TelegramSetup extends ChannelSetup {
  readonly api: TelegramApiClient;
  readonly botInfo: TelegramBotInfo;
}

/**
 * Builds the Telegram channel, or null when TELEGRAM_BOT_TOKEN is unset.
 * - webhook mode: serves POST /webhooks/telegram (secret checked); with PUBLIC_URL, start()
 *   calls setWebhook(`${PUBLIC_URL}/webhooks/telegram`, secret_token, allowed_updates);
 *   without PUBLIC_URL it only serves the route (someone else registered the webhook).
 * - polling mode: no route; start() deletes any webhook and long-polls getUpdates.
 * start() never throws: failures are logged and show in health() (getMe, at most once a minute;
 * in webhook mode also getWebhookInfo, at start and every 5 minutes).
 */
export function setupTelegram(ctx: ChannelSetupContext, options: TelegramSetupOptions = {}): TelegramSetup | null {
  const { config } = ctx;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return null;
  const logger = ctx.logger.child({ channel: 'telegram' });
  const api = new TelegramApiClient({
    token,
    apiRoot: config.TELEGRAM_API_ROOT,
    logger,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const channel = new TelegramChannel(api, logger);
  const botInfo = new TelegramBotInfo(api, ctx.clock, logger);
  const processor = new TelegramUpdateProcessor({
    api,
    channel,
    botInfo,
    inbound: ctx.inbound,
    kv: ctx.kv,
    clock: ctx.clock,
    logger,
    ...(config.TELEGRAM_STAFF_CHAT_ID ? { staffChatId: config.TELEGRAM_STAFF_CHAT_ID } : {}),
    ...(options.staffUpdateHandler ? { staffUpdateHandler: options.staffUpdateHandler } : {}),
  });
  const onUpdate = (update: unknown) => processor.process(update);
  const polling = config.telegramMode === 'polling';
  const poller = polling ? makePoller(api, onUpdate, logger, options) : undefined;
  const watch = ctx.webhooks ?? new WebhookWatch({ logger });
  const webhookOptions: TelegramWebhookOptions = { secret: config.TELEGRAM_WEBHOOK_SECRET, onUpdate, logger, watch };
  const webhookUrl = config.PUBLIC_URL ? `${config.PUBLIC_URL.replace(/\/+$/, '')}${TELEGRAM_WEBHOOK_PATH}` : undefined;
  const monitor = polling
    ? undefined
    : new TelegramWebhookMonitor({
        api,
        expectedUrl: webhookUrl,
        lastAcceptedMs: () => watch.lastAcceptedMs('telegram'),
        clock: ctx.clock,
        logger,
        ...(options.webhookCheckIntervalMs !== undefined ? { intervalMs: options.webhookCheckIntervalMs } : {}),
      });

  return {
    channel,
    api,
    botInfo,
    ...(polling ? {} : { webhook: { plugin: telegramWebhookPlugin, options: webhookOptions } }),
    async start() {
      void botInfo.refresh();
      if (poller) {
        await poller.start();
        return;
      }
      await registerWebhook(api, webhookUrl, config.TELEGRAM_WEBHOOK_SECRET, logger);
      await monitor?.start();
    },
    async stop() {
      monitor?.stop();
      await poller?.stop();
      await processor.drain(STOP_FLUSH_MS);
      await channel.flush(STOP_FLUSH_MS);
    },
    async health() {
      const me = await botInfo.health();
      const hook = await monitor?.forReadiness();
      if (!me.ok || !hook) return me;
      return { ok: hook.ok, detail: `${me.detail ?? ''}; ${hook.detail ?? ''}` };
    },
  };
}

/** The getUpdates loop of polling mode. */
function makePoller(api: TelegramApiClient, onUpdate: (update: unknown) => Promise<void>, logger: Logger, options: TelegramSetupOptions): TelegramPoller {
  return new TelegramPoller({
    api,
    onUpdate,
    logger,
    ...(options.pollTimeoutS !== undefined ? { timeoutS: options.pollTimeoutS } : {}),
    ...(options.pollErrorBackoffMs !== undefined ? { errorBackoffMs: options.pollErrorBackoffMs } : {}),
  });
}

/** setWebhook with the secret and update types (only with PUBLIC_URL); a failure is logged, never thrown. */
async function registerWebhook(api: TelegramApiClient, url: string | undefined, secret: string | undefined, logger: Logger): Promise<void> {
  if (!url) {
    logger.info({ path: TELEGRAM_WEBHOOK_PATH }, 'telegram webhook route served; PUBLIC_URL unset, setWebhook not called');
    return;
  }
  try {
    await api.call('setWebhook', { url, secret_token: secret, allowed_updates: TELEGRAM_ALLOWED_UPDATES });
    logger.info({ url }, 'telegram webhook registered');
  } catch (err) {
    logger.error({ url, err: (err as Error).message }, 'telegram setWebhook failed');
  }
}
