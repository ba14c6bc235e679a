/**
 * Converts one rendered chunk into a Zalo Bot Platform sendMessage payload. The platform shows
 * plain text only: the shared renderer has already turned options into a numbered menu and
 * links into text (ZALO_BOT_CAPABILITIES), so a chunk that still carries buttons is a bug.
 */
import { NotSupportedError } from '../../core/errors.ts';
import type { RenderedMessage } from '../../core/types.ts';
import { ZALO_BOT_TEXT_LIMIT } from './limits.ts';

/** The body of sendMessage. */
export interface ZaloBotSendMessageBody {
  readonly chat_id: string;
  readonly text: string;
}

/**
 * Builds the sendMessage body for one chunk. Throws NotSupportedError when the chunk carries
 * native buttons, RangeError when its text is over ZALO_BOT_TEXT_LIMIT (the shared renderer
 * splits before this point; the platform would refuse it anyway).
 */
export function renderZaloBotMessage(chatId: string, message: RenderedMessage): ZaloBotSendMessageBody {
  if (message.buttons.length > 0) throw new NotSupportedError('buttons on the Zalo Bot Platform');
  if (message.text.length > ZALO_BOT_TEXT_LIMIT) {
    throw new RangeError(`Zalo Bot text of ${message.text.length} characters is over ${ZALO_BOT_TEXT_LIMIT}`);
  }
  return { chat_id: chatId, text: message.text };
}
