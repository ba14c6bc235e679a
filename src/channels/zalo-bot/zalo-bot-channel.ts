/**
 * The Zalo Bot Platform as the engine sees it: a text-only Channel that sends each rendered
 * chunk with sendMessage.
 */
import type { Channel } from '../../core/ports.ts';
import type { RenderedMessage } from '../../core/types.ts';
import type { ZaloBotClient } from './client.ts';
import { ZALO_BOT_CAPABILITIES } from './limits.ts';
import { renderZaloBotMessage } from './render.ts';

/** Sends rendered messages through the Zalo Bot Platform. */
export class ZaloBotChannel implements Channel {
  readonly name = 'zalo-bot' as const;
  readonly capabilities = ZALO_BOT_CAPABILITIES;
  readonly #client: ZaloBotClient;

  constructor(client: ZaloBotClient) {
    this.#client = client;
  }

  /**
   * Sends one chunk (empty text is skipped: the platform refuses it). Throws what the client
   * throws: ChannelRejectedError, RateLimitedError, ChannelNetworkError; NotSupportedError for
   * a chunk with buttons.
   */
  async send(chatId: string, message: RenderedMessage): Promise<void> {
    const body = renderZaloBotMessage(chatId, message);
    if (body.text.trim() === '') return;
    await this.#client.sendMessage(body.chat_id, body.text);
  }

  /** Best-effort "typing…" hint; never throws. */
  async sendTyping(chatId: string): Promise<void> {
    try {
      await this.#client.sendChatAction(chatId, 'typing');
    } catch {
      // Only a hint: a failure here must not hold up the answer.
    }
  }
}
