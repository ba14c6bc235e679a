/**
 * The Zalo Official Account as the engine sees it: consultation messages with the button
 * template, and a plain-text fallback (numbered menu, links written out) when the platform
 * refuses the template.
 */
import { ChannelRejectedError } from '../../core/errors.ts';
import type { Channel, Logger } from '../../core/ports.ts';
import type { RenderedMessage } from '../../core/types.ts';
import { isZaloOaQuotaError, isZaloOaTokenError, type ZaloOaClient } from './client.ts';
import { ZALO_OA_CAPABILITIES } from './limits.ts';
import { renderZaloOaMessage, renderZaloOaTextFallback } from './render.ts';

/** Options of the OA channel. */
export interface ZaloOaChannelOptions {
  readonly logger: Logger;
  /** Line under the numbered menu of the text fallback (the content's `type_number`); none by default. */
  readonly typeNumberHint?: string;
}

/** Sends rendered messages through a Zalo Official Account. */
export class ZaloOaChannel implements Channel {
  readonly name = 'zalo-oa' as const;
  readonly capabilities = ZALO_OA_CAPABILITIES;
  readonly #client: ZaloOaClient;
  readonly #options: ZaloOaChannelOptions;

  constructor(client: ZaloOaClient, options: ZaloOaChannelOptions) {
    this.#client = client;
    this.#options = options;
  }

  /**
   * Sends one chunk to an OA follower (`chatId` = their OA user id). When a chunk with buttons
   * is refused, sends it again as plain text with a numbered menu (not when the quota is used up
   * or the token refused: no other form would get through). Throws
   * RecipientUnreachableError (-230 …: not retried), ChannelRejectedError, RateLimitedError,
   * ChannelNetworkError.
   */
  async send(chatId: string, message: RenderedMessage): Promise<void> {
    const body = renderZaloOaMessage(chatId, message);
    if (!body.message.attachment) {
      if (body.message.text.trim() === '') return;
      await this.#client.sendMessage(body);
      return;
    }
    try {
      await this.#client.sendMessage(body);
    } catch (err) {
      if (!(err instanceof ChannelRejectedError) || isZaloOaTokenError(err) || isZaloOaQuotaError(err)) throw err;
      this.#options.logger.warn(
        { platformCode: err.platformCode, buttons: message.buttons.length },
        'zalo-oa button template refused; sending the numbered text menu instead',
      );
      for (const chunk of renderZaloOaTextFallback(message, this.#options.typeNumberHint)) {
        await this.#client.sendMessage(renderZaloOaMessage(chatId, chunk));
      }
    }
  }
}
