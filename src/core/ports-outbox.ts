/**
 * The durable outbox's port: replies a chat app could not take (its API unreachable, 5xx, 429)
 * wait here, in order per chat, and are sent again until a horizon passes. Re-exported by
 * ports.ts; the Redis implementation is stores/redis/redis-reply-outbox.ts, its use
 * channels/reply-outbox.ts.
 */
import type { ChannelName, RenderedMessage } from './types.ts';

/** One chat's waiting message as the outbox gives it back. */
export interface OutboxItem {
  readonly message: RenderedMessage;
  /** When it was first put in the outbox (the horizon counts from here), epoch ms. */
  readonly queuedAtMs: number;
}

/** A chat with messages due, and the lease that makes this instance its only sender for now. */
export interface DueChat {
  readonly channel: ChannelName;
  readonly chatId: string;
  readonly lease: string;
}

/**
 * Undelivered replies, per chat, in order. Every method rejects with `StoreUnavailableError`
 * while the store is away.
 */
export interface ReplyOutbox {
  /** Puts a message at the end of the chat's line, to be tried again from `retryAtMs`. */
  push(channel: ChannelName, chatId: string, message: RenderedMessage, nowMs: number, retryAtMs: number): Promise<void>;
  /** True when the chat has messages waiting (anything new for it must queue behind them). */
  has(channel: ChannelName, chatId: string): Promise<boolean>;
  /** How many chats have messages waiting. */
  chats(): Promise<number>;
  /** Chats whose next try is due by `nowMs` (at most `limit`), each leased to this caller for `leaseMs`. */
  due(nowMs: number, limit: number, leaseMs: number): Promise<readonly DueChat[]>;
  /** The chat's first waiting message, or null when none is left (the chat then leaves the index). */
  head(chat: DueChat): Promise<OutboxItem | null>;
  /** Removes the chat's first message (sent, or given up). */
  pop(chat: DueChat): Promise<void>;
  /** The next try of the chat's line at `retryAtMs`; the lease is let go of. */
  later(chat: DueChat, retryAtMs: number): Promise<void>;
  /** Lets go of the chat's lease (its line is empty, or this instance is done with it for now). */
  release(chat: DueChat): Promise<void>;
}
