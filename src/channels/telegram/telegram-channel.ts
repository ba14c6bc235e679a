/**
 * The Telegram Channel the engine sends through: renders chunks to HTML + inline keyboards,
 * keeps each chat's sends in order, and remembers chats that blocked the bot.
 */
import { ChannelRejectedError, RecipientUnreachableError } from '../../core/errors.ts';
import type { Channel, Logger } from '../../core/ports.ts';
import { splitText } from '../../core/render.ts';
import type { RenderedMessage } from '../../core/types.ts';
import type { TelegramApiClient } from './api-client.ts';
import { TELEGRAM_CAPABILITIES, TELEGRAM_TEXT_LIMIT } from './limits.ts';
import { splitTopicChatId } from './parse.ts';
import { renderTelegramMessage, renderTelegramPlain, withRefusedLinksInText } from './render.ts';

/** Most chats remembered as unreachable in this process (oldest forgotten first). */
const UNREACHABLE_MEMORY = 10_000;

/** Telegram chat ids are integers; send them as JSON numbers when they are. */
function chatIdParam(chatId: string): number | string {
  const n = Number(chatId);
  return /^-?\d+$/.test(chatId) && Number.isSafeInteger(n) ? n : chatId;
}

/** Where a send goes: the chat, and the forum topic when the chat id names one (see replyChatIdOf). */
function targetOf(chatId: string): { chat_id: number | string; message_thread_id?: number } {
  const { chat, threadId } = splitTopicChatId(chatId);
  return threadId !== undefined ? { chat_id: chatIdParam(chat), message_thread_id: threadId } : { chat_id: chatIdParam(chat) };
}

/** Sends rendered messages to Telegram chats. */
export class TelegramChannel implements Channel {
  readonly name = 'telegram' as const;
  readonly capabilities = TELEGRAM_CAPABILITIES;
  private readonly tails = new Map<string, Promise<void>>();
  private readonly unreachable = new Set<string>();

  constructor(
    private readonly api: TelegramApiClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Sends one rendered message. Sends to one chat run one after another in call order.
   * A chunk over TELEGRAM_TEXT_LIMIT (which the engine's renderer should already prevent) is
   * split at paragraph/line boundaries, buttons on the last piece. If Telegram cannot parse
   * our HTML, the chunk is sent once more as plain text.
   * Throws RecipientUnreachableError at once for a chat known to have blocked the bot, and the
   * ApiClient's errors otherwise (see TelegramApiClient.call).
   */
  send(chatId: string, message: RenderedMessage): Promise<void> {
    const previous = this.tails.get(chatId) ?? Promise.resolve();
    const run = previous.then(() => this.deliver(chatId, message));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(chatId, tail);
    void tail.then(() => {
      if (this.tails.get(chatId) === tail) this.tails.delete(chatId);
    });
    return run;
  }

  /** Remembers that the bot may not write to this chat (blocked, kicked); a topic's chat as a whole. */
  markUnreachable(topicOrChatId: string): void {
    const chatId = splitTopicChatId(topicOrChatId).chat;
    this.unreachable.delete(chatId);
    this.unreachable.add(chatId);
    if (this.unreachable.size > UNREACHABLE_MEMORY) {
      const oldest = this.unreachable.values().next().value;
      if (oldest !== undefined) this.unreachable.delete(oldest);
    }
  }

  /** Forgets an unreachable mark (the citizen wrote again, unblocked, re-added the bot). */
  markReachable(topicOrChatId: string): void {
    this.unreachable.delete(splitTopicChatId(topicOrChatId).chat);
  }

  /** True while the chat (of a topic) is remembered as unreachable. */
  isUnreachable(topicOrChatId: string): boolean {
    return this.unreachable.has(splitTopicChatId(topicOrChatId).chat);
  }

  /** Waits until queued sends finish, at most `timeoutMs`. */
  async flush(timeoutMs: number): Promise<void> {
    const pending = Promise.all([...this.tails.values()]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([pending, timeout]);
    clearTimeout(timer);
  }

  private async deliver(chatId: string, rendered: RenderedMessage): Promise<void> {
    // Links written into the text count against the limit too: add them before measuring.
    const message = withRefusedLinksInText(rendered);
    const pieces: RenderedMessage[] =
      message.text.length <= TELEGRAM_TEXT_LIMIT
        ? [message]
        : splitText(message.text, TELEGRAM_TEXT_LIMIT).map((text, i, all) => ({
            text,
            buttons: i === all.length - 1 ? message.buttons : [],
            menuSeq: message.menuSeq,
          }));
    for (const piece of pieces) await this.deliverOne(chatId, piece);
  }

  private async deliverOne(chatId: string, message: RenderedMessage): Promise<void> {
    if (this.isUnreachable(chatId)) {
      throw new RecipientUnreachableError('telegram', 'chat blocked the bot (remembered)');
    }
    const target = targetOf(chatId);
    try {
      await this.api.call('sendMessage', { ...target, ...renderTelegramMessage(message) });
    } catch (err) {
      if (err instanceof RecipientUnreachableError) {
        this.markUnreachable(chatId);
        throw err;
      }
      if (err instanceof ChannelRejectedError && err.status === 400 && /can't parse entities/i.test(err.message)) {
        this.logger.warn({ code: err.code }, 'telegram could not parse our HTML; resending as plain text');
        await this.api.call('sendMessage', { ...target, ...renderTelegramPlain(message) });
        return;
      }
      throw err;
    }
  }
}
