/** A Channel that records what the engine sends, for dialogue and engine tests. */
import type { Channel, ChannelCapabilities } from '../../src/core/ports.ts';
import type { ChannelName, RenderedMessage } from '../../src/core/types.ts';

/** Capabilities like a chat app with buttons (Telegram-ish). */
export const BUTTON_CAPS: ChannelCapabilities = { textLimit: 4096, optionButtons: true, urlButtons: true, maxButtons: 16, buttonLabelLimit: 64 };
/** Capabilities like a text-only chat app (Zalo Bot Platform-ish). */
export const TEXT_CAPS: ChannelCapabilities = { textLimit: 2000, optionButtons: false, urlButtons: false, maxButtons: 0, buttonLabelLimit: 64 };

/** Records every sent chunk per chat. */
export class RecordingChannel implements Channel {
  readonly sent: { chatId: string; message: RenderedMessage }[] = [];
  constructor(
    readonly name: ChannelName = 'web',
    readonly capabilities: ChannelCapabilities = BUTTON_CAPS,
  ) {}
  async send(chatId: string, message: RenderedMessage): Promise<void> {
    this.sent.push({ chatId, message });
  }
  /** Messages sent to a chat since index `from`. */
  since(from: number, chatId?: string): RenderedMessage[] {
    return this.sent.slice(from).filter((s) => !chatId || s.chatId === chatId).map((s) => s.message);
  }
}
