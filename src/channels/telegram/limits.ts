/**
 * Telegram Bot API limits and the capabilities the shared renderer adapts messages to.
 * https://core.telegram.org/bots/api#sendmessage, #inlinekeyboardbutton
 */
import type { ChannelCapabilities } from '../../core/ports.ts';

/** Longest text of one message, in characters after entity parsing (Bot API sendMessage). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/** Longest `callback_data` of an inline button, in bytes (Bot API InlineKeyboardButton). */
export const TELEGRAM_CALLBACK_DATA_LIMIT = 64;

/** Longest button label we send (no documented Bot API limit; clients ellipsize to the screen width). */
export const TELEGRAM_BUTTON_LABEL_LIMIT = 64;

/** Most buttons one message carries; beyond this the renderer falls back to a numbered menu (our choice). */
export const TELEGRAM_MAX_BUTTONS = 12;

/** Option labels up to this many characters may share a row with another short one (our layout rule). */
export const TELEGRAM_TWO_PER_ROW_LABEL_MAX = 18;

/** What a Telegram chat can show: long texts, native option and link buttons. */
export const TELEGRAM_CAPABILITIES: ChannelCapabilities = Object.freeze({
  textLimit: TELEGRAM_TEXT_LIMIT,
  optionButtons: true,
  urlButtons: true,
  maxButtons: TELEGRAM_MAX_BUTTONS,
  buttonLabelLimit: TELEGRAM_BUTTON_LABEL_LIMIT,
});

/** Update types we ask Telegram for (setWebhook and getUpdates). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;
