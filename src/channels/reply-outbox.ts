/**
 * Replies are not lost when a chat app's API is away for a while. Each chat app's channel is
 * wrapped: a send that fails after the client's own retries for a reason that passes (network,
 * 5xx, 429) goes to the durable outbox instead of being dropped, and anything newer for that
 * chat queues behind it, so the citizen reads the replies in order. A worker on every instance
 * tries the due lines again every second (with a growing pause per chat), and counts a message
 * undeliverable once it has waited past the horizon.
 */
import { conversationRef } from '../core/conversation-ref.ts';
import { ChannelNetworkError, ChannelRejectedError, RateLimitedError } from '../core/errors.ts';
import type { Channel, Clock, DueChat, Logger, ReplyOutbox } from '../core/ports.ts';
import { conversationIdOf, type ChannelName, type RenderedMessage } from '../core/types.ts';

/** What the outbox counts (metrics). */
export interface ReplyOutboxCounts {
  /** A reply went to the outbox instead of the chat app. */
  deferred(channel: ChannelName): void;
  /** A reply from the outbox reached the chat app. */
  delivered(channel: ChannelName): void;
  /** A reply was given up on: `expired` (past the horizon) or `rejected` (the app said no for good). */
  undeliverable(channel: ChannelName, reason: 'expired' | 'rejected'): void;
}

/** Options of {@link ReplyOutboxWorker}; durations in ms. */
export interface ReplyOutboxOptions {
  readonly outbox: ReplyOutbox;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a reply is tried for before it counts as undeliverable. Default 15 minutes. */
  readonly horizonMs?: number;
  /** How often due lines are looked for. Default 1 000. */
  readonly everyMs?: number;
  readonly counts?: ReplyOutboxCounts;
}

/** True for a failure that may pass: the network, the app's 5xx, or its "too many requests". */
export function isPassingFailure(err: unknown): boolean {
  if (err instanceof RateLimitedError || err instanceof ChannelNetworkError) return true;
  return err instanceof ChannelRejectedError && (err.status >= 500 || err.status === 429);
}

/** The pause before a line's next try: a quarter of how long its first message has waited, 2–60 s, and at least what a 429 asked for. */
function pauseMs(waitedMs: number, err: unknown): number {
  const asked = err instanceof RateLimitedError ? err.retryAfterMs : 0;
  return Math.max(asked, Math.min(60_000, Math.max(2_000, Math.floor(waitedMs / 4))));
}

/** The outbox's sending side, and the wrapper that sends through it (see the file's comment). */
export class ReplyOutboxWorker {
  readonly #o: ReplyOutboxOptions;
  readonly #horizonMs: number;
  readonly #channels = new Map<ChannelName, Channel>();
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  /** Chats waiting in the outbox as last counted (any instance's); 0 = send directly without asking. */
  #waiting = 0;

  constructor(options: ReplyOutboxOptions) {
    this.#o = options;
    this.#horizonMs = options.horizonMs ?? 15 * 60_000;
  }

  /** `channel`, with sends that fail for a passing reason kept in the outbox (and sent later by the worker). */
  wrap(channel: Channel): Channel {
    this.#channels.set(channel.name, channel);
    return { name: channel.name, capabilities: channel.capabilities, send: (chatId, message) => this.#send(channel, chatId, message) };
  }

  /** Tries due lines every `everyMs`. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.tick(), this.#o.everyMs ?? 1_000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One round: counts the waiting chats, then sends every due line it can lease. Never rejects. */
  async tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      this.#waiting = await this.#o.outbox.chats();
      if (this.#waiting === 0) return;
      const due = await this.#o.outbox.due(this.#o.clock.nowMs(), 20, 90_000);
      await Promise.all(due.map((chat) => this.#sendLine(chat)));
    } catch (err) {
      this.#o.logger.warn({ err: (err as Error).message }, 'reply outbox: round failed; tried again shortly');
    } finally {
      this.#ticking = false;
    }
  }

  async #send(inner: Channel, chatId: string, message: RenderedMessage): Promise<void> {
    // Something of this chat's already waits: this one goes behind it, never ahead.
    if (this.#waiting > 0 && (await this.#o.outbox.has(inner.name, chatId).catch(() => false))) {
      await this.#defer(inner.name, chatId, message, this.#o.clock.nowMs() + 2_000);
      return;
    }
    try {
      await inner.send(chatId, message);
    } catch (err) {
      if (!isPassingFailure(err)) throw err;
      // Kept for later; when even that fails (the store away too), the send fails as it would have.
      await this.#defer(inner.name, chatId, message, this.#o.clock.nowMs() + pauseMs(0, err)).catch(() => {
        throw err;
      });
      this.#o.logger.warn({ channel: inner.name, conversation: conversationRef(conversationIdOf(inner.name, chatId)), err: (err as Error).message }, 'reply kept in the outbox: the chat app is not taking it now');
    }
  }

  async #defer(channel: ChannelName, chatId: string, message: RenderedMessage, retryAtMs: number): Promise<void> {
    await this.#o.outbox.push(channel, chatId, message, this.#o.clock.nowMs(), retryAtMs);
    this.#waiting = Math.max(1, this.#waiting);
    this.#o.counts?.deferred(channel);
  }

  /** Sends a leased chat's line from its first message on, until it is empty or the app fails again. */
  async #sendLine(chat: DueChat): Promise<void> {
    const inner = this.#channels.get(chat.channel);
    const ref = conversationRef(conversationIdOf(chat.channel, chat.chatId));
    try {
      for (let item = await this.#o.outbox.head(chat); item !== null; item = await this.#o.outbox.head(chat)) {
        const waitedMs = this.#o.clock.nowMs() - item.queuedAtMs;
        if (inner === undefined || waitedMs > this.#horizonMs) {
          await this.#o.outbox.pop(chat);
          this.#o.counts?.undeliverable(chat.channel, 'expired');
          this.#o.logger.error({ channel: chat.channel, conversation: ref, waitedS: Math.round(waitedMs / 1000) }, 'REPLY UNDELIVERABLE: the chat app did not take it within the horizon');
          continue;
        }
        try {
          await inner.send(chat.chatId, item.message);
        } catch (err) {
          if (isPassingFailure(err)) return await this.#o.outbox.later(chat, this.#o.clock.nowMs() + pauseMs(waitedMs, err));
          await this.#o.outbox.pop(chat);
          this.#o.counts?.undeliverable(chat.channel, 'rejected');
          this.#o.logger.warn({ channel: chat.channel, conversation: ref, err: (err as Error).message }, 'reply from the outbox refused by the chat app; dropped');
          continue;
        }
        await this.#o.outbox.pop(chat);
        this.#o.counts?.delivered(chat.channel);
      }
      await this.#o.outbox.release(chat);
    } catch (err) {
      // The store failed: the lease expires and the line is tried again later.
      this.#o.logger.warn({ channel: chat.channel, conversation: ref, err: (err as Error).message }, 'reply outbox: line not sent; tried again later');
    }
  }
}
