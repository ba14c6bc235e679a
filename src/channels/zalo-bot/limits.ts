/**
 * Zalo Bot Platform limits and the capabilities the shared renderer adapts messages to.
 * https://bot.zapps.me/docs (sendMessage): text only, no keyboards or buttons.
 */
import type { ChannelCapabilities } from '../../core/ports.ts';

/** Longest text of one sendMessage, in characters (Zalo Bot Platform). */
export const ZALO_BOT_TEXT_LIMIT = 2000;

/** Longest time one getUpdates call waits for an update, seconds (our choice; the platform answers 408 when none came). */
export const ZALO_BOT_POLL_TIMEOUT_S = 30;

/** Webhook path served for the Bot Platform. */
export const ZALO_BOT_WEBHOOK_PATH = '/webhooks/zalo-bot';

/** Header carrying the secret set with setWebhook (or in the bot dashboard). */
export const ZALO_BOT_SECRET_HEADER = 'x-bot-api-secret-token';

/**
 * What a Zalo Bot Platform chat can show: text only. Options become the shared numbered menu
 * (typed numbers work) and links are written into the text.
 */
export const ZALO_BOT_CAPABILITIES: ChannelCapabilities = Object.freeze({
  textLimit: ZALO_BOT_TEXT_LIMIT,
  optionButtons: false,
  urlButtons: false,
  maxButtons: 0,
  buttonLabelLimit: 0,
});
