/**
 * A citizen waiting for staff, or talking with them, is never answered by the bot instead, even
 * while Redis is away. Each instance keeps in memory who is with staff (from its own turns, the
 * queue's live events of every instance, and a refresh of the queue's ids every 30 s). When a
 * message cannot reach the store, the engine asks {@link StaffHold.hold}: a message of such a
 * citizen is held here instead of answered, handed over again once the store answers (it then
 * reaches staff like any other), or, when that does not happen within the horizon or the
 * instance stops, the citizen is told plainly that it did not reach staff.
 */
import type { EngineObserver } from './observer.ts';
import type { Clock, EventBus, HandoffQueue, LiveEvent, Logger } from './ports.ts';
import { conversationIdOf, type ChannelName, type ConversationId, type InboundMessage, type Lang } from './types.ts';
import { conversationRef } from './conversation-ref.ts';

/** The suffix of a held message's id when it is handed over again (the engine de-duplicates by id). */
const HELD = '#held';

/** What {@link StaffHold} counts: held, then either delivered (handed over again once the store answered) or failed (the citizen told). */
export type StaffHoldOutcome = 'held' | 'delivered' | 'failed';

/** What the hold needs. */
export interface StaffHoldDeps {
  readonly queue: HandoffQueue;
  readonly events: EventBus;
  /** True when the store takes writes again. */
  readonly ready: () => Promise<boolean>;
  /** Hands a held message over again (the inbound path); resolves once it is safe or held once more. */
  readonly resubmit: (message: InboundMessage) => Promise<void>;
  /** Tells the citizen (in `lang`) that their message of `heldAtMs` did not reach staff. */
  readonly tell: (message: InboundMessage, lang: Lang, heldAtMs: number) => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a message is held before the citizen is told, ms. Default 15 minutes. */
  readonly horizonMs?: number;
  /** Most messages held at once by this instance (more: the citizen is told at once). Default 5 000. */
  readonly maxHeld?: number;
  readonly counted?: (channel: ChannelName, outcome: StaffHoldOutcome) => void;
}

interface Held {
  readonly message: InboundMessage;
  readonly lang: Lang;
  readonly heldAtMs: number;
}

/** Who is with staff, and the messages held for them (see the file's comment). */
export class StaffHold {
  readonly #d: StaffHoldDeps;
  /** Conversations known to wait for or talk with staff, and their language. */
  readonly #withStaff = new Map<ConversationId, Lang>();
  /** Held messages by their first id (a message held twice keeps its first time). */
  readonly #held = new Map<string, Held>();
  readonly #since = new Map<string, number>();
  readonly #timers: NodeJS.Timeout[] = [];
  #unsubscribe: (() => Promise<void>) | undefined;
  #retrying = false;

  constructor(deps: StaffHoldDeps) {
    this.#d = deps;
  }

  /** Learns from this instance's turns who is now with staff (or back with the bot). */
  get observer(): EngineObserver {
    return {
      turn: (e) => {
        if (e.mode === undefined) return;
        if (e.mode === 'bot') this.#withStaff.delete(e.conversationId);
        else this.#withStaff.set(e.conversationId, e.lang);
      },
    };
  }

  /** How many messages are held now. */
  get heldCount(): number {
    return this.#held.size;
  }

  /** True when the conversation is known to be with staff. */
  isWithStaff(id: ConversationId): boolean {
    return this.#withStaff.has(id);
  }

  /** Follows the queue's live events, refreshes who is with staff every 30 s, retries held messages every 2 s. */
  async start(): Promise<void> {
    this.#unsubscribe = await this.#d.events.subscribe((e) => void this.#onEvent(e));
    void this.#refresh();
    this.#timers.push(setInterval(() => void this.#refresh(), 30_000), setInterval(() => void this.#retry(), 2_000));
    for (const t of this.#timers) t.unref();
  }

  /** Stops; every citizen whose message is still held is told it did not reach staff. */
  async stop(): Promise<void> {
    for (const t of this.#timers.splice(0)) clearInterval(t);
    await this.#unsubscribe?.().catch(() => undefined);
    await Promise.all([...this.#held.keys()].map((key) => this.#fail(key)));
  }

  /** The engine's question before a stateless answer: true when the message is held for staff here. */
  hold(message: InboundMessage): boolean {
    const id = conversationIdOf(message.channel, message.chatId);
    const lang = this.#withStaff.get(id);
    if (lang === undefined || message.kind === 'blocked') return false;
    const key = message.id.endsWith(HELD) ? message.id.slice(0, -HELD.length) : message.id;
    const first = { message: { ...message, id: key }, lang, heldAtMs: this.#since.get(key) ?? this.#d.clock.nowMs() };
    this.#held.set(key, first);
    this.#d.counted?.(message.channel, 'held');
    this.#d.logger.warn({ conversation: conversationRef(id) }, 'store away: message for staff held, handed over when it is back');
    if (this.#held.size > (this.#d.maxHeld ?? 5_000)) void this.#fail(key);
    return true;
  }

  async #onEvent(e: LiveEvent): Promise<void> {
    if (e.type === 'message') return;
    try {
      const ticket = await this.#d.queue.get(e.conversationId);
      if (ticket === null) this.#withStaff.delete(e.conversationId);
      else if (!this.#withStaff.has(e.conversationId)) this.#withStaff.set(e.conversationId, 'vi');
    } catch {
      /* the store is away: the 30 s refresh catches up */
    }
  }

  async #refresh(): Promise<void> {
    try {
      const ids = new Set(await this.#d.queue.ids());
      for (const id of [...this.#withStaff.keys()]) if (!ids.has(id)) this.#withStaff.delete(id);
      for (const id of ids) if (!this.#withStaff.has(id)) this.#withStaff.set(id, 'vi');
    } catch {
      /* keep what we know while the store is away */
    }
  }

  /** Hands held messages over again once the store answers; tells those past the horizon. */
  async #retry(): Promise<void> {
    if (this.#held.size === 0 || this.#retrying) return;
    this.#retrying = true;
    try {
      const now = this.#d.clock.nowMs();
      const expired = [...this.#held].filter(([, h]) => now - h.heldAtMs > (this.#d.horizonMs ?? 15 * 60_000));
      for (const [key] of expired) await this.#fail(key);
      if (this.#held.size === 0 || !(await this.#d.ready().catch(() => false))) return;
      for (const [key, h] of [...this.#held]) {
        this.#held.delete(key);
        // Held again (the store failed once more) it keeps its first time, so the horizon holds.
        this.#since.set(key, h.heldAtMs);
        await this.#d.resubmit({ ...h.message, id: `${key}${HELD}` }).catch(() => undefined);
        this.#d.counted?.(h.message.channel, 'delivered');
      }
      for (const [key, at] of [...this.#since]) if (now - at > 2 * (this.#d.horizonMs ?? 15 * 60_000)) this.#since.delete(key);
    } finally {
      this.#retrying = false;
    }
  }

  async #fail(key: string): Promise<void> {
    const h = this.#held.get(key);
    if (h === undefined) return;
    this.#held.delete(key);
    this.#d.counted?.(h.message.channel, 'failed');
    this.#d.logger.error({ conversation: conversationRef(conversationIdOf(h.message.channel, h.message.chatId)) }, 'MESSAGE FOR STAFF NOT DELIVERED: the citizen is told to send it again');
    await this.#d.tell(h.message, h.lang, h.heldAtMs).catch((err: unknown) => this.#d.logger.warn({ err: (err as Error).message }, 'could not tell the citizen their message did not reach staff'));
  }
}

const HELD_TIME = new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hour12: false });

/** The time a message was held, as the citizen reads it (`14:05`, Cần Thơ time). */
export function heldTime(atMs: number): string {
  return HELD_TIME.format(new Date(atMs));
}
