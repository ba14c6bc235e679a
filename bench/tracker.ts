/**
 * What the benchmark knows of each message of a phase: one new chat per message, when it was
 * sent, whether the webhook accepted it (2xx), and when the fake Bot API saw its first reply.
 */
import { performance } from 'node:perf_hooks';
import { telegramOk, type FakeTelegramServer } from '../test/support/fake-telegram.ts';
import { update } from './options.ts';

/** The messages of the current phase and the fake Bot API's view of their replies. */
export class MessageTracker {
  private nextUpdate = 900_000_000;
  private nextChat = 7_000_000_000;
  /** Per chat (one message each): when its update was sent. */
  readonly sentAt = new Map<number, number>();
  /** Chats whose update the webhook accepted (2xx). */
  readonly accepted = new Set<number>();
  /** Per chat: when its first sendMessage reached the fake Bot API (performance.now()). */
  readonly firstReplyAt = new Map<number, number>();
  /** sendMessage calls in this phase. */
  sendMessageCalls = 0;
  /** Messages sent to the app's webhook over the whole run (its conversations). */
  webhookMessages = 0;
  /** Per chat, every text sent to it, while {@link MessageTracker.recordTexts} is on (double answers). */
  readonly texts = new Map<number, string[]>();
  /** Record the texts of replies (the overload phase counts double answers with them). */
  recordTexts = false;

  /** Answers every sendMessage of `fake`, noting each chat's first reply. */
  constructor(private readonly fake: FakeTelegramServer) {
    fake.replyAlways('sendMessage', (call) => {
      const chat = Number(call.body.chat_id);
      this.sendMessageCalls += 1;
      if (!this.firstReplyAt.has(chat)) this.firstReplyAt.set(chat, performance.now());
      if (this.recordTexts) {
        const list = this.texts.get(chat) ?? [];
        list.push(String(call.body.text ?? ''));
        this.texts.set(chat, list);
      }
      return telegramOk({ message_id: 1, date: 0, chat: { id: chat, type: 'private' } });
    });
  }

  /** The next message; only those to the app's webhook count as its conversations. */
  nextMessage(toApp: boolean): { chat: number; body: string } {
    const chat = this.nextChat++;
    this.sentAt.set(chat, performance.now());
    if (toApp) this.webhookMessages += 1;
    return { chat, body: update(chat, this.nextUpdate++) };
  }

  /** A message for the bare endpoint: a new chat, not tracked. */
  nextBareBody(): string {
    return update(this.nextChat++, this.nextUpdate++);
  }

  /** Whether some accepted message has no reply yet. */
  waitingForReplies(): boolean {
    return [...this.accepted].some((c) => !this.firstReplyAt.has(c));
  }

  /** Forgets the phase's messages and the fake's recorded calls. */
  reset(): void {
    this.sentAt.clear();
    this.accepted.clear();
    this.firstReplyAt.clear();
    this.texts.clear();
    this.sendMessageCalls = 0;
    this.fake.reset();
  }
}
