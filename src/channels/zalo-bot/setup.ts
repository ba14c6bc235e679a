/**
 * Wires the Zalo Bot Platform from configuration: client, channel, webhook route or polling.
 * - webhook mode (ZALO_BOT_WEBHOOK_SECRET set): serves POST /webhooks/zalo-bot; with PUBLIC_URL
 *   it also registers the webhook (setWebhook) at start, else the URL is set in the dashboard.
 * - polling mode (no secret, no PUBLIC_URL, or ZALO_BOT_MODE=polling): a getUpdates loop.
 */
import type { ChannelSetup, ChannelSetupContext } from '../setup-types.ts';
import { ZaloBotClient } from './client.ts';
import { createZaloBotDispatcher } from './dispatch.ts';
import { ZALO_BOT_WEBHOOK_PATH } from './limits.ts';
import { ZaloBotPoller } from './polling.ts';
import { ZaloBotWebhookCheck } from './webhook-check.ts';
import type { Logger } from '../../core/ports.ts';
import { zaloBotWebhookPlugin, type ZaloBotWebhookOptions } from './webhook-route.ts';
import { ZaloBotChannel } from './zalo-bot-channel.ts';

/** Tuning knobs for tests; production uses the defaults. */
export interface ZaloBotSetupOverrides {
  /** Retry policy of the API client. */
  readonly retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Long-poll wait, seconds. */
  readonly pollTimeoutS?: number;
  /** Send a "typing…" hint before each answer (default true). */
  readonly typing?: boolean;
}

/**
 * Builds the Zalo Bot Platform channel, or null when ZALO_BOT_TOKEN is unset.
 * start() never throws for a platform failure (it logs it; health() shows it).
 */
export function setupZaloBot(ctx: ChannelSetupContext, overrides: ZaloBotSetupOverrides = {}): ChannelSetup | null {
  const { config } = ctx;
  const token = config.ZALO_BOT_TOKEN;
  if (!token) return null;
  const logger = ctx.logger.child({ channel: 'zalo-bot' });
  const client = new ZaloBotClient({
    token,
    apiRoot: config.ZALO_BOT_API_ROOT,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(overrides.retry ? { retry: overrides.retry } : {}),
    ...(ctx.retried ? { onRetry: () => ctx.retried?.('zalo-bot') } : {}),
    ...(ctx.limited ? { onRateLimited: () => ctx.limited?.('zalo-bot', 'rate-limit') } : {}),
  });
  const channel = new ZaloBotChannel(client);
  const typing = overrides.typing === false ? undefined : (chatId: string) => channel.sendTyping(chatId);
  const secret = config.ZALO_BOT_WEBHOOK_SECRET;
  const mode = config.zaloBotMode;
  let poller: ZaloBotPoller | null = null;
  let startError: string | null = null;
  const webhookUrl = config.PUBLIC_URL ? `${config.PUBLIC_URL.replace(/\/+$/, '')}${ZALO_BOT_WEBHOOK_PATH}` : undefined;
  const webhookCheck = new ZaloBotWebhookCheck(client, webhookUrl, logger);

  const webhookOptions: ZaloBotWebhookOptions | null = secret
    ? { secret, inbound: ctx.inbound, logger, clock: ctx.clock, ...(typing ? { typing } : {}), ...(ctx.webhooks ? { watch: ctx.webhooks } : {}) }
    : null;

  return {
    channel,
    // The route is served whenever a secret exists (it cannot be forged without it).
    ...(webhookOptions ? { webhook: { plugin: zaloBotWebhookPlugin, options: webhookOptions } } : {}),

    async start() {
      if (mode === 'polling') {
        // getUpdates is refused while a webhook is set (the Bot Platform docs): remove it first.
        await client.deleteWebhook().catch((err: unknown) => {
          logger.warn({ err: err instanceof Error ? err.message : 'failed' }, 'zalo-bot deleteWebhook failed; polling may be refused while a webhook is set');
        });
        poller = new ZaloBotPoller({
          client,
          dispatch: createZaloBotDispatcher({ inbound: ctx.inbound, logger, clock: ctx.clock, ...(typing ? { typing } : {}) }),
          logger,
          ...(overrides.pollTimeoutS !== undefined ? { timeoutS: overrides.pollTimeoutS } : {}),
        });
        poller.start();
        return;
      }
      if (!secret) {
        startError = 'webhook mode needs ZALO_BOT_WEBHOOK_SECRET';
        logger.error({}, startError);
        return;
      }
      startError = await registerWebhook(client, webhookUrl, secret, logger);
      await webhookCheck.start();
    },

    async stop() {
      webhookCheck.stop();
      await poller?.stop();
      poller = null;
    },

    async health() {
      if (client.lastAuthFailure) return { ok: false, detail: `token refused: ${client.lastAuthFailure}` };
      if (startError) return { ok: false, detail: startError };
      if (mode === 'webhook' && webhookCheck.problem) return { ok: false, detail: webhookCheck.problem };
      const hint = ctx.webhooks?.suspicion('zalo-bot');
      if (hint) return { ok: true, detail: `${mode}; ${hint}` };
      if (poller?.lastError) return { ok: false, detail: `polling: ${poller.lastError}` };
      return { ok: true, detail: mode };
    },
  };
}

/**
 * setWebhook with PUBLIC_URL (else the URL is set in the dashboard); resolves what went wrong
 * for health, or null. Never throws.
 */
async function registerWebhook(client: ZaloBotClient, url: string | undefined, secret: string, logger: Logger): Promise<string | null> {
  if (!url) {
    logger.info({ path: ZALO_BOT_WEBHOOK_PATH }, 'zalo-bot webhook served; set its URL and secret in the Zalo Bot dashboard (no PUBLIC_URL)');
    return null;
  }
  try {
    await client.setWebhook(url, secret);
    logger.info({ url }, 'zalo-bot webhook registered');
    return null;
  } catch (err) {
    logger.error({ err }, 'zalo-bot setWebhook failed');
    return `setWebhook failed: ${err instanceof Error ? err.message : 'unknown error'}`;
  }
}
