/**
 * The web chat's channel: replies go into the session's outbox (a {@link WebOutboxStore}:
 * Redis behind several instances, memory for one) that the page reads. The POST that sent a
 * message returns what it produced ({@link WebChannel.exchange}); a long-poll on any instance
 * picks up later ones, e.g. staff replies ({@link WebChannel.poll}).
 *
 * When the outbox store is unavailable (Redis down) the engine answers statelessly; the replies
 * produced during a POST are then kept for that request alone and returned by it, so the
 * citizen still gets the bot's answer, and the routes never fail with a 500.
 */
import { ChannelNetworkError } from '../../core/errors.ts';
import {
  silentLogger,
  type Channel,
  type ChannelCapabilities,
  type Logger,
  type WebOutboxDraft,
  type WebOutboxItem,
  type WebOutboxPage,
  type WebOutboxStore,
} from '../../core/ports.ts';
import type { RenderedMessage } from '../../core/types.ts';

export type { WebOutboxItem, WebOutboxPage } from '../../core/ports.ts';

/** Longest text of one web chat bubble. */
export const WEB_TEXT_LIMIT = 4000;

/** What {@link WebChannel} needs. */
export interface WebChannelOptions {
  /** Where each session's messages are kept for the page. */
  readonly outbox: WebOutboxStore;
  /** The time stamped on each message. Default: `Date.now`. */
  readonly nowMs?: () => number;
  /** Outbox failures are logged here. Default: silent. */
  readonly logger?: Logger;
  /** How long the outbox of a conversation still at its greeting is kept, ms. Default: the store's lifetime. */
  readonly greetingTtlMs?: number;
}

/** The web chat channel. */
export class WebChannel implements Channel {
  readonly name = 'web' as const;
  readonly capabilities: ChannelCapabilities = {
    textLimit: WEB_TEXT_LIMIT,
    optionButtons: true,
    urlButtons: true,
    maxButtons: 16,
    buttonLabelLimit: 80,
  };
  readonly #outbox: WebOutboxStore;
  readonly #nowMs: () => number;
  readonly #logger: Logger;
  readonly #greetingTtlMs: number | undefined;
  /** Per session, the POSTs in progress: where messages go when the outbox cannot take them. */
  readonly #fallbacks = new Map<string, Set<WebOutboxDraft[]>>();
  /** Per session, how many POSTs in progress only greet (their replies are kept the greeting lifetime). */
  readonly #greetings = new Map<string, number>();

  constructor(options: WebChannelOptions) {
    this.#outbox = options.outbox;
    this.#nowMs = options.nowMs ?? Date.now;
    this.#logger = (options.logger ?? silentLogger).child({ channel: 'web' });
    this.#greetingTtlMs = options.greetingTtlMs;
  }

  /**
   * Queues a rendered message for the session's page. When the outbox fails, the message goes
   * to the session's POSTs in progress, if any; otherwise it throws `ChannelNetworkError`.
   */
  async send(chatId: string, message: RenderedMessage): Promise<void> {
    const item: WebOutboxDraft = {
      text: message.text,
      buttons: message.buttons,
      menuSeq: message.menuSeq,
      atMs: this.#nowMs(),
      ...(message.fromStaff ? { fromStaff: true } : {}),
      ...(message.lang ? { lang: message.lang } : {}),
    };
    const keep = this.#greetings.has(chatId) ? this.#greetingTtlMs : undefined;
    try {
      await this.#outbox.append(chatId, item, keep);
    } catch (err) {
      const fallbacks = this.#fallbacks.get(chatId);
      if (fallbacks === undefined || fallbacks.size === 0) {
        throw new ChannelNetworkError('web', `outbox unavailable: ${(err as Error).message}`, { cause: err });
      }
      this.#logger.warn({ err: (err as Error).message }, 'web outbox unavailable: reply returned with the request only');
      for (const list of fallbacks) list.push(item);
    }
  }

  /** Messages after `afterSeq`, and the session's latest seq (rejects when the store does). */
  read(sessionId: string, afterSeq: number): Promise<WebOutboxPage> {
    return this.#outbox.read(sessionId, afterSeq);
  }

  /** The current cursor (latest seq) of a session (rejects when the store does). */
  cursor(sessionId: string): Promise<number> {
    return this.#outbox.cursor(sessionId);
  }

  /** Resolves when the session gets a message after `afterSeq`, after `timeoutMs`, or on abort. */
  wait(sessionId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#outbox.wait(sessionId, afterSeq, timeoutMs, signal);
  }

  /**
   * One POST of the page: runs `handle` (the engine taking the citizen's message) and resolves
   * the messages after `afterSeq` (default: the cursor before `handle`). Never rejects for
   * an outbox failure: what `handle` produced is then returned with numbers after the cursor,
   * and the cursor is not moved, so the page fetches the stored messages later as usual.
   * With `greeting` (the conversation never got past the greeting), what `handle` sends is
   * kept only the greeting lifetime, unless the outbox is already kept longer.
   */
  async exchange(sessionId: string, afterSeq: number | undefined, handle: () => Promise<void>, opts: { greeting?: boolean } = {}): Promise<WebOutboxPage> {
    const after = afterSeq ?? (await this.#outbox.cursor(sessionId).catch((err: unknown) => this.#failed(err, 0)));
    const fallback: WebOutboxDraft[] = [];
    let set = this.#fallbacks.get(sessionId);
    if (set === undefined) {
      set = new Set();
      this.#fallbacks.set(sessionId, set);
    }
    set.add(fallback);
    if (opts.greeting) this.#greetings.set(sessionId, (this.#greetings.get(sessionId) ?? 0) + 1);
    try {
      await handle();
    } finally {
      set.delete(fallback);
      if (set.size === 0 && this.#fallbacks.get(sessionId) === set) this.#fallbacks.delete(sessionId);
      if (opts.greeting) this.#greetingDone(sessionId);
    }
    const page = await this.#outbox.read(sessionId, after).catch((err: unknown) => this.#failed(err, { items: [], cursor: after }));
    if (fallback.length === 0) return page;
    const base = Math.max(page.cursor, after);
    return { items: [...page.items, ...fallback.map((d, i) => ({ ...d, seq: base + i + 1 }))], cursor: base };
  }

  /**
   * One long-poll of the page: waits (up to `timeoutMs`, or until `signal` aborts) for messages
   * after `afterSeq` and resolves them. Never rejects: with the outbox unavailable it resolves
   * no messages once the wait is over.
   */
  async poll(sessionId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<WebOutboxPage> {
    await this.#outbox.wait(sessionId, afterSeq, timeoutMs, signal);
    return this.#outbox.read(sessionId, afterSeq).catch((err: unknown) => this.#failed(err, { items: [], cursor: afterSeq }));
  }

  /**
   * A long-poll without a session: waits `timeoutMs` (or until `signal` aborts) and resolves no
   * messages, so a page without its cookie polls at the usual pace instead of spinning.
   */
  async idle(timeoutMs: number, signal?: AbortSignal): Promise<WebOutboxPage> {
    await this.#outbox.wait('', 0, timeoutMs, signal); // no session is '' (its cursor stays 0)
    return { items: [], cursor: 0 };
  }

  /** One greeting POST of the session is over. */
  #greetingDone(sessionId: string): void {
    const left = (this.#greetings.get(sessionId) ?? 1) - 1;
    if (left > 0) this.#greetings.set(sessionId, left);
    else this.#greetings.delete(sessionId);
  }

  /** Logs an outbox failure and returns `value` instead. */
  #failed<T>(err: unknown, value: T): T {
    this.#logger.warn({ err: (err as Error).message }, 'web outbox unavailable');
    return value;
  }
}
