/**
 * Turns one RenderedMessage (plain text + channel-neutral buttons, already within the text
 * limit) into a Telegram sendMessage payload: HTML parse mode with every dynamic character
 * escaped, and an inline keyboard.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { clipLabel } from '../../core/render.ts';
import type { Button, RenderedMessage } from '../../core/types.ts';
import { encodeOptionCallback } from './callback-data.ts';
import { TELEGRAM_BUTTON_LABEL_LIMIT, TELEGRAM_TWO_PER_ROW_LABEL_MAX } from './limits.ts';

/** The parts of a sendMessage call that come from the message (the caller adds `chat_id`). */
export interface TelegramMessagePayload {
  readonly text: string;
  readonly parse_mode: 'HTML';
  /** Guides link to portals; previews would bury the steps, so they are off. */
  readonly link_preview_options: { readonly is_disabled: true };
  readonly reply_markup?: InlineKeyboardMarkup;
}

/**
 * Escapes text for Telegram's HTML parse mode. Telegram only knows `&lt; &gt; &amp; &quot;`,
 * and only `<`, `>` and `&` are special in text, so these three are all we replace.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** URL schemes Telegram accepts in a `url` button; anything else is written into the text. */
function isButtonUrl(url: string): boolean {
  return /^(https?:\/\/[^\s]+|tg:\/\/[^\s]+)$/i.test(url);
}

function labelOf(label: string, fallback: string): string {
  const clean = label.replace(/\s+/g, ' ').trim();
  return clipLabel(clean.length > 0 ? clean : fallback, TELEGRAM_BUTTON_LABEL_LIMIT);
}

/**
 * Builds the inline keyboard: option buttons carry `n:<index>[:<menuSeq>]`; two short option
 * labels share a row, longer ones and links get a row each; button order is kept.
 * Returns undefined when there is nothing to show.
 */
export function buildInlineKeyboard(buttons: readonly Button[], menuSeq: number): InlineKeyboardMarkup | undefined {
  const rows: InlineKeyboardButton[][] = [];
  let openPair: InlineKeyboardButton[] | null = null;
  for (const b of buttons) {
    if (b.kind === 'url') {
      if (!isButtonUrl(b.url)) continue;
      rows.push([{ text: labelOf(b.label, b.url), url: b.url }]);
      openPair = null;
      continue;
    }
    const text = labelOf(b.label, String(b.index));
    const button: InlineKeyboardButton = { text, callback_data: encodeOptionCallback(b.index, menuSeq) };
    const short = [...text].length <= TELEGRAM_TWO_PER_ROW_LABEL_MAX;
    if (short && openPair) {
      openPair.push(button);
      openPair = null;
    } else {
      const row = [button];
      rows.push(row);
      openPair = short ? row : null;
    }
  }
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

/** The chunk's text plus any link Telegram would refuse as a button, one per line. */
function plainTextOf(message: RenderedMessage): string {
  const lines = message.buttons.flatMap((b) => (b.kind === 'url' && !isButtonUrl(b.url) ? [`${b.label}: ${b.url}`] : []));
  return lines.length > 0 ? `${message.text}\n${lines.join('\n')}` : message.text;
}

/**
 * The chunk with every link Telegram would refuse as a button written into its text (and gone
 * from its buttons). Done before the length check, so the links cannot push a text near the
 * limit over it.
 */
export function withRefusedLinksInText(message: RenderedMessage): RenderedMessage {
  const text = plainTextOf(message);
  if (text === message.text) return message;
  return { ...message, text, buttons: message.buttons.filter((b) => b.kind !== 'url' || isButtonUrl(b.url)) };
}

/**
 * Renders one chunk for sendMessage. Link buttons whose URL Telegram would refuse are written
 * into the text instead of being dropped silently.
 */
export function renderTelegramMessage(message: RenderedMessage): TelegramMessagePayload {
  const keyboard = buildInlineKeyboard(message.buttons, message.menuSeq);
  return {
    text: escapeHtml(plainTextOf(message)),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(keyboard ? { reply_markup: keyboard } : {}),
  };
}

/** The same chunk without parse mode: the fallback when Telegram cannot parse our HTML. */
export function renderTelegramPlain(message: RenderedMessage): Omit<TelegramMessagePayload, 'parse_mode'> {
  const { parse_mode: _mode, ...rest } = renderTelegramMessage(message);
  return { ...rest, text: plainTextOf(message) };
}
