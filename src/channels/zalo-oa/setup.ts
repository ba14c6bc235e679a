/**
 * Wires the Zalo Official Account from configuration: token manager, client, channel, the
 * signed webhook route, and an hourly check that refreshes the token before it expires.
 */
import type { Logger } from '../../core/ports.ts';
import type { ChannelSetup, ChannelSetupContext } from '../setup-types.ts';
import type { RetryPolicy } from '../http-retry.ts';
import { ZaloOaClient } from './client.ts';
import { ZaloOaTokenManager } from './tokens.ts';
import { zaloOaWebhookPlugin, type ZaloOaWebhookOptions } from './webhook-route.ts';
import { ZaloOaChannel } from './zalo-oa-channel.ts';

/** How often the token's expiry is checked between sends, ms (1 h; it lives about 25 h). */
export const ZALO_OA_TOKEN_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** Tuning knobs for tests and the composition root; production uses the defaults. */
export interface ZaloOaSetupOverrides {
  readonly retry?: RetryPolicy;
  /** Line under the numbered menu of the text fallback (the content's `type_number`). */
  readonly typeNumberHint?: string;
  /** Cross-instance wait tuning of the token manager. */
  readonly lockWaitMs?: number;
  readonly pollIntervalMs?: number;
}

/**
 * Builds the Zalo OA channel, or null when ZALO_OA_APP_ID is unset. Throws when
 * ZALO_OA_SECRET_KEY is missing (config already refuses that). start() never throws.
 */
export function setupZaloOa(ctx: ChannelSetupContext, overrides: ZaloOaSetupOverrides = {}): ChannelSetup | null {
  const { config } = ctx;
  const appId = config.ZALO_OA_APP_ID;
  if (!appId) return null;
  const secretKey = config.ZALO_OA_SECRET_KEY;
  if (!secretKey) throw new Error('ZALO_OA_SECRET_KEY: required with ZALO_OA_APP_ID (webhook signatures)');
  const logger = ctx.logger.child({ channel: 'zalo-oa' });
  const tokens = new ZaloOaTokenManager({
    kv: ctx.kv,
    clock: ctx.clock,
    logger,
    oauthRoot: config.ZALO_OA_OAUTH_ROOT,
    appId,
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(config.ZALO_OA_APP_SECRET ? { appSecret: config.ZALO_OA_APP_SECRET } : {}),
    ...(config.ZALO_OA_ACCESS_TOKEN ? { seedAccessToken: config.ZALO_OA_ACCESS_TOKEN } : {}),
    ...(config.ZALO_OA_REFRESH_TOKEN ? { seedRefreshToken: config.ZALO_OA_REFRESH_TOKEN } : {}),
    ...(overrides.lockWaitMs !== undefined ? { lockWaitMs: overrides.lockWaitMs } : {}),
    ...(overrides.pollIntervalMs !== undefined ? { pollIntervalMs: overrides.pollIntervalMs } : {}),
  });
  const onLimited = (kind: 'rate-limit' | 'quota'): void => {
    ctx.limited?.('zalo-oa', kind);
    if (kind === 'quota' && !client.quotaExhausted) logger.error({}, 'ZALO OA QUOTA USED UP: consultation messages are refused until the quota resets');
  };
  const client: ZaloOaClient = new ZaloOaClient({
    apiRoot: config.ZALO_OA_API_ROOT,
    tokens,
    onLimited,
    nowMs: () => ctx.clock.nowMs(),
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    ...(overrides.retry ? { retry: overrides.retry } : {}),
    ...(ctx.retried ? { onRetry: () => ctx.retried?.('zalo-oa') } : {}),
  });
  const channel = new ZaloOaChannel(client, {
    logger,
    ...(overrides.typeNumberHint !== undefined ? { typeNumberHint: overrides.typeNumberHint } : {}),
  });
  const webhookOptions: ZaloOaWebhookOptions = {
    appId,
    secretKey,
    maxEventAgeS: config.ZALO_OA_MAX_EVENT_AGE_S,
    clock: ctx.clock,
    inbound: ctx.inbound,
    logger,
    kv: ctx.kv,
    ...(ctx.webhooks ? { watch: ctx.webhooks } : {}),
  };
  let timer: NodeJS.Timeout | null = null;

  return {
    channel,
    webhook: { plugin: zaloOaWebhookPlugin, options: webhookOptions },

    async start() {
      warnAboutTokens(config, logger);
      await tokens.refreshIfDue();
      if (timer) clearInterval(timer);
      timer = setInterval(() => void tokens.refreshIfDue(), ZALO_OA_TOKEN_CHECK_INTERVAL_MS);
      timer.unref();
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },

    async health() {
      const quota = client.quotaExhausted;
      if (quota) return { ok: false, detail: `message quota used up (${quota.code}) since ${new Date(quota.atMs).toISOString()}` };
      const health = await tokens.health();
      const hint = ctx.webhooks?.suspicion('zalo-oa');
      return hint ? { ...health, detail: `${health.detail ?? ''}; ${hint}` } : health;
    },
  };
}

/** Start-up warnings about the token pair and where rotated tokens are kept. */
function warnAboutTokens(config: ChannelSetupContext['config'], logger: Logger): void {
  if (!config.ZALO_OA_ACCESS_TOKEN && !config.ZALO_OA_REFRESH_TOKEN) {
    logger.warn({}, 'zalo-oa: no ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN; relying on a pair already in the store');
  }
  if (config.ZALO_OA_REFRESH_TOKEN && !config.ZALO_OA_APP_SECRET) {
    logger.warn({}, 'zalo-oa: ZALO_OA_APP_SECRET is not set, so the access token cannot be refreshed');
  }
  if (!config.redisTopology) {
    logger.warn({}, 'zalo-oa: without REDIS_URL the rotated refresh token is lost on restart; use Redis in production');
  }
}
