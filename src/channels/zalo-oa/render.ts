/**
 * Converts one rendered chunk into a Zalo OA consultation message body. Buttons become the
 * button template: an option is `oa.query.show` whose payload is its number as text (Zalo
 * sends it back as a user_send_text "2", which the engine resolves like a typed number); a
 * link is `oa.open.url`. The plain-text fallback rebuilds the chunk with a numbered menu.
 */
import type { ChannelCapabilities } from '../../core/ports.ts';
import { clipLabel, renderForChannel } from '../../core/render.ts';
import type { RenderedMessage } from '../../core/types.ts';
import { ZALO_OA_BUTTON_TITLE_LIMIT, ZALO_OA_CAPABILITIES, ZALO_OA_MAX_BUTTONS, ZALO_OA_TEXT_LIMIT } from './limits.ts';

/** One button of the OA button template. */
export type ZaloOaButton =
  | { readonly type: 'oa.query.show'; readonly title: string; readonly payload: string }
  | { readonly type: 'oa.open.url'; readonly title: string; readonly payload: { readonly url: string } };

/** The body of POST /v3.0/oa/message/cs. */
export interface ZaloOaMessageBody {
  readonly recipient: { readonly user_id: string };
  readonly message: {
    readonly text: string;
    readonly attachment?: {
      readonly type: 'template';
      readonly payload: { readonly template_type: 'button'; readonly buttons: readonly ZaloOaButton[] };
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
      ? { type: 'oa.query.show', title: clipLabel(button.label, ZALO_OA_BUTTON_TITLE_LIMIT), payload: String(button.index) }
      : { type: 'oa.open.url', title: clipLabel(button.label, ZALO_OA_BUTTON_TITLE_LIMIT), payload: { url: button.url } },
  );
  return {
    recipient: { user_id: userId },
    message: { text: message.text, attachment: { type: 'template', payload: { template_type: 'button', buttons } } },
  };
}

/** OA capabilities without native buttons: what the text fallback renders against. */
export const ZALO_OA_TEXT_ONLY_CAPABILITIES: ChannelCapabilities = Object.freeze({
  ...ZALO_OA_CAPABILITIES,
  optionButtons: false,
  urlButtons: false,
  maxButtons: 0,
});

/**
 * The plain-text fallback of a chunk with buttons: its options as a numbered menu (typed
 * numbers work) and its links written out, split again within the text limit.
 * `typeNumberHint` is the line under the menu (the content's `type_number`); none by default.
 */
export function renderZaloOaTextFallback(message: RenderedMessage, typeNumberHint = ''): RenderedMessage[] {
  return renderForChannel(
    { text: message.text, buttons: message.buttons, menuSeq: message.menuSeq },
    ZALO_OA_TEXT_ONLY_CAPABILITIES,
    { typeNumber: typeNumberHint },
  );
}
