/**
 * Converts one rendered chunk into a Zalo OA consultation message body ("tin tư vấn kèm nút"):
 * `message.attachment = { type: 'template', payload: { buttons } }`, as in Zalo's own example
 * of a consultation message with buttons (no `template_type`: that belongs to the other
 * templates, such as request_user_info or the transaction ones).
 * - An option is `oa.query.hide` whose payload `#n:<index>:<menuSeq>` comes back to the webhook
 *   as the citizen's (hidden) text, like Telegram's callback data: a tap on an older menu is
 *   resolved against that menu, not the newest one.
 * - A link is `oa.open.url`.
 * The options are also numbered in the text (the channel's `optionsAlsoInText`), since some
 * Zalo clients (Zalo PC) may not show the buttons; typed numbers work everywhere.
 */
import type { ChannelCapabilities } from '../../core/ports.ts';
import { clipLabel, renderForChannel } from '../../core/render.ts';
import type { RenderedMessage } from '../../core/types.ts';
import { ZALO_OA_BUTTON_TITLE_LIMIT, ZALO_OA_CAPABILITIES, ZALO_OA_MAX_BUTTONS, ZALO_OA_TEXT_LIMIT } from './limits.ts';

/** One button of the OA button template. */
export type ZaloOaButton =
  | { readonly type: 'oa.query.hide'; readonly title: string; readonly payload: string }
  | { readonly type: 'oa.open.url'; readonly title: string; readonly payload: { readonly url: string } };

const OPTION_PAYLOAD = /^#n:([1-9]\d{0,3})(?::(\d{1,15}))?$/;

/** The hidden payload of an option button: `#n:<index>:<menuSeq>` (`#n:<index>` when there is no menu). */
export function encodeZaloOaOptionPayload(index: number, menuSeq: number): string {
  return menuSeq > 0 ? `#n:${index}:${menuSeq}` : `#n:${index}`;
}

/** Reads an option button's payload back from the text Zalo delivers; null for any other text. */
export function decodeZaloOaOptionPayload(text: string): { readonly index: number; readonly menuSeq?: number } | null {
  const m = OPTION_PAYLOAD.exec(text.trim());
  if (!m) return null;
  const menuSeq = m[2] === undefined ? undefined : Number(m[2]);
  if (menuSeq !== undefined && !Number.isSafeInteger(menuSeq)) return null;
  return menuSeq === undefined ? { index: Number(m[1]) } : { index: Number(m[1]), menuSeq };
}

/** The body of POST /v3.0/oa/message/cs. */
export interface ZaloOaMessageBody {
  readonly recipient: { readonly user_id: string };
  readonly message: {
    readonly text: string;
    readonly attachment?: {
      readonly type: 'template';
      readonly payload: { readonly buttons: readonly ZaloOaButton[] };
    };
  };
}

/**
 * Builds the message body for one chunk: plain text, or text with the button template when the
 * chunk carries buttons. Throws RangeError when the text is over ZALO_OA_TEXT_LIMIT or there
 * are more than ZALO_OA_MAX_BUTTONS buttons (the shared renderer keeps within both).
 */
export function renderZaloOaMessage(userId: string, message: RenderedMessage): ZaloOaMessageBody {
  if (message.text.length > ZALO_OA_TEXT_LIMIT) {
    throw new RangeError(`Zalo OA text of ${message.text.length} characters is over ${ZALO_OA_TEXT_LIMIT}`);
  }
  if (message.buttons.length > ZALO_OA_MAX_BUTTONS) {
    throw new RangeError(`${message.buttons.length} buttons is over the OA limit of ${ZALO_OA_MAX_BUTTONS}`);
  }
  if (message.buttons.length === 0) return { recipient: { user_id: userId }, message: { text: message.text } };
  const buttons: ZaloOaButton[] = message.buttons.map((button) =>
    button.kind === 'option'
      ? { type: 'oa.query.hide', title: clipLabel(button.label, ZALO_OA_BUTTON_TITLE_LIMIT), payload: encodeZaloOaOptionPayload(button.index, message.menuSeq) }
      : { type: 'oa.open.url', title: clipLabel(button.label, ZALO_OA_BUTTON_TITLE_LIMIT), payload: { url: button.url } },
  );
  return {
    recipient: { user_id: userId },
    message: { text: message.text, attachment: { type: 'template', payload: { buttons } } },
  };
}

/** OA capabilities without native buttons: what the text fallback renders against. */
export const ZALO_OA_TEXT_ONLY_CAPABILITIES: ChannelCapabilities = Object.freeze({
  ...ZALO_OA_CAPABILITIES,
  optionButtons: false,
  optionsAlsoInText: false,
  urlButtons: false,
  maxButtons: 0,
});

/**
 * The plain-text fallback of a chunk with buttons (the template was refused): its links
 * written out, split again within the text limit. Its options are already numbered in the text
 * (`optionsAlsoInText`), so they are not added twice; a chunk whose text lacks them (rendered
 * without that capability) gets the numbered menu. `typeNumberHint` is the line under the menu.
 */
export function renderZaloOaTextFallback(message: RenderedMessage, typeNumberHint = ''): RenderedMessage[] {
  const options = message.buttons.filter((b) => b.kind === 'option');
  const numbered = options.every((b) => message.text.includes(`${b.index}. ${b.label}`));
  const buttons = numbered ? message.buttons.filter((b) => b.kind === 'url') : message.buttons;
  return renderForChannel({ text: message.text, buttons, menuSeq: message.menuSeq }, ZALO_OA_TEXT_ONLY_CAPABILITIES, { typeNumber: typeNumberHint });
}
