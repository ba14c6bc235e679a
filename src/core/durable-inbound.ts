/**
 * What a webhook accepted is never lost, and a citizen's messages are handled in order, one at
 * a time, whichever instance received them. Sits between the channels and the engine:
 *
 * 1. `accept` writes the message to the durable inbound log before the webhook answers 200.
 * 2. Each entry this instance took is offered to its conversation's queue; whoever gets the
 *    conversation's lease drains the queue in the platform's order, one engine turn at a time,
 *    and lets go of the lease when it is empty.
 * 3. Every few seconds (and at start) `recover` hands over what a dead instance left pending and
 *    what nobody took; those are offered again the same way.
 *
 * When the log cannot be written (Redis away, refusing writes), the message is handled here at
 * once, as in an outage: the engine answers without state, or holds it for staff.
 */
import { conversationRef } from './conversation-ref.ts';
import type { AcceptOptions, InboundLog, LoggedInbound, OfferOutcome, QueuedTurn, TurnStart } from './ports-inbound.ts';
import type { InboundHandler, Logger } from './ports.ts';
import { conversationIdOf, type ConversationId, type InboundMessage } from './types.ts';

/** Options of {@link DurableInbound}; durations in ms. */
export interface DurableInboundOptions {
  /** How often `recover` runs. Default 3 000. */
  readonly recoverEveryMs?: number;
  /** How long a finished turn's acknowledgement is retried while the store is away. Default 120 000. */
  readonly ackRetryMs?: number;
}

/** What the durable inbound path needs. */
export interface DurableInboundDeps {
  readonly log: InboundLog;
  /** Runs one message's turn (the engine); resolves when it is over, never rejects. */
  readonly engine: InboundHandler;
  readonly logger: Logger;
  readonly options?: DurableInboundOptions;
  /** Called when a message could not be logged and is handled here at once (for metrics). */
  readonly unlogged?: (message: InboundMessage) => void;
}

/** The message a turn runs on: a repeated hand-out gets its own id, or the engine would take it for a duplicate. */
function turnMessage(entry: LoggedInbound): InboundMessage {
  return entry.attempt === 0 ? entry.message : { ...entry.message, id: `${entry.message.id}#${entry.attempt}` };
}

/** Durable, ordered inbound handling over an {@link InboundLog} (see the file's comment). */
export class DurableInbound implements InboundHandler {
  readonly #deps: DurableInboundDeps;
  readonly #recoverEveryMs: number;
  readonly #ackRetryMs: number;
  /** Conversations this instance is draining now, with the lease of the drain. */
  readonly #draining = new Map<ConversationId, string>();
  /** Offers of one conversation on this instance, one at a time (see #offer). */
  readonly #offering = new Map<ConversationId, Promise<unknown>>();
  readonly #work = new Set<Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;
  #recovering = false;
  #stopping = false;
  /** Set once stop()'s time is up: drains let go of their leases after the turn in progress. */
  #stopDeadline = false;

  constructor(deps: DurableInboundDeps) {
    this.#deps = deps;
    this.#recoverEveryMs = deps.options?.recoverEveryMs ?? 3_000;
    this.#ackRetryMs = deps.options?.ackRetryMs ?? 120_000;
  }

  /** Handles a message directly, without the log (the web chat, which waits for its reply). */
  handleInbound(message: InboundMessage): Promise<void> {
    return this.#deps.engine.handleInbound(message);
  }

  async accept(message: InboundMessage, options: AcceptOptions = {}): Promise<void> {
    const id = conversationIdOf(message.channel, message.chatId);
    const appendOffer = this.#deps.log.appendOffer;
    if (appendOffer && options.startAfter === undefined && !this.#offering.has(id) && !this.#draining.has(id)) {
      // Appended and offered in one step (nothing of this conversation is in this instance's hands).
      let failure: unknown;
      const own = this.#offer(id, async (mayTakeOwn) => {
        try {
          const appended = await appendOffer(message, mayTakeOwn);
          for (const entry of appended.taken) this.#track(this.#offerEntry(entry));
          if (appended.outcome === null) this.#deps.logger.warn({ conversation: conversationRef(id) }, 'inbound log: message not offered; recovered later');
          return appended.outcome;
        } catch (err) {
          failure = err;
          return null;
        }
      });
      this.#track(own);
      await own.offered;
      if (failure !== undefined) this.#unlogged(message, id, failure, options);
      return;
    }
    let appended: { readonly own: LoggedInbound; readonly taken: readonly LoggedInbound[] };
    try {
      appended = await this.#deps.log.append(message);
    } catch (err) {
      this.#unlogged(message, id, err, options);
      return;
    }
    for (const entry of appended.taken) this.#track(this.#offerEntry(entry));
    // In its conversation's queue before the webhook answers: the citizen's next message, which
    // they send after this answer, cannot overtake it on another instance.
    const own = this.#offerEntry(appended.own, options.startAfter);
    this.#track(own);
    await own.offered;
  }

  /** Not logged: handled here and now, as in an outage (never dropped, never lost silently). */
  #unlogged(message: InboundMessage, id: ConversationId, err: unknown, options: AcceptOptions): void {
    this.#deps.logger.warn({ err: (err as Error).message, conversation: conversationRef(id) }, 'inbound log not written: handling the message here, without it');
    this.#deps.unlogged?.(message);
    this.#track((options.startAfter ?? Promise.resolve()).catch(() => undefined).then(() => this.#deps.engine.handleInbound(message)));
  }

  /** Recovers at once (what a dead instance or an earlier run left), then every few seconds. */
  start(): void {
    if (this.#timer !== undefined) return;
    void this.#recover();
    this.#timer = setInterval(() => void this.#recover(), this.#recoverEveryMs);
    this.#timer.unref();
  }

  /** Stops taking work; drains in progress finish their queues until `timeoutMs`, then let go of their leases. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.#work]), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.#stopDeadline = true;
    await Promise.allSettled([...this.#work]);
    await this.#deps.log.flush();
  }

  /** Messages offered, or being handled, by this instance right now. */
  get pendingCount(): number {
    return this.#work.size;
  }

  async #recover(): Promise<void> {
    if (this.#recovering || this.#stopping) return;
    this.#recovering = true;
    try {
      const entries = await this.#deps.log.recover();
      if (entries.length > 0) this.#deps.logger.info({ entries: entries.length }, 'inbound log: taking over messages left pending');
      for (const entry of entries) this.#track(this.#offerEntry(entry));
    } catch (err) {
      this.#deps.logger.warn({ err: (err as Error).message }, 'inbound log: recovery failed; tried again shortly');
    } finally {
      this.#recovering = false;
    }
  }

  /**
   * Offers an entry; drains the conversation (after `startAfter`) when the lease comes with it.
   * Resolves when the drain is over; `offered` settles once the entry is in its queue (or the
   * offer failed: the entry stays pending in the log, recovered later). One conversation's offers
   * on this instance go one at a time, and a drain is registered before the next offer: so "a
   * lease of ours, and no drain of ours running" really means a stale lease.
   */
  #offerEntry(entry: LoggedInbound, startAfter?: Promise<unknown>): Promise<void> & { offered: Promise<void> } {
    const id = conversationIdOf(entry.message.channel, entry.message.chatId);
    return this.#offer(id, (mayTakeOwn) => this.#deps.log.offer(entry, mayTakeOwn, startAfter === undefined), startAfter);
  }

  /** {@link DurableInbound.#offerEntry} with the offering call given (`null`: nothing to drain). */
  #offer(id: ConversationId, call: (mayTakeOwn: boolean) => Promise<OfferOutcome | null>, startAfter?: Promise<unknown>): Promise<void> & { offered: Promise<void> } {
    const previous = this.#offering.get(id) ?? Promise.resolve();
    const offering = previous.then(async () => {
      const outcome = await call(!this.#draining.has(id));
      if (outcome?.kind === 'drain') this.#draining.set(id, outcome.lease);
      return outcome;
    });
    const settled = offering.then(() => undefined, () => undefined);
    this.#offering.set(id, settled);
    void settled.then(() => {
      if (this.#offering.get(id) === settled) this.#offering.delete(id);
    });
    const work = offering.then(
      async (outcome) => {
        if (outcome?.kind !== 'drain') return;
        await startAfter?.catch(() => undefined);
        await this.#drain(id, outcome.lease, outcome.next, outcome.start);
      },
      (err: unknown) => {
        // Still pending in the log: recovered once the store answers again.
        this.#deps.logger.warn({ err: (err as Error).message, conversation: conversationRef(id) }, 'inbound log: message not offered; recovered later');
      },
    );
    return Object.assign(work, { offered: settled });
  }

  /**
   * Holds the conversation: runs its queued messages' turns in order until the queue is empty.
   * `start`: the first turn's start, taken by the offer.
   */
  async #drain(id: ConversationId, lease: string, first: LoggedInbound, start?: TurnStart): Promise<void> {
    const keeper = setInterval(() => {
      this.#deps.log.extend(id, lease).then(
        (kept) => kept || this.#deps.logger.warn({ conversation: conversationRef(id) }, 'conversation lease lost during a turn'),
        () => undefined,
      );
    }, Math.max(50, Math.floor(this.#deps.log.leaseTtlMs / 3)));
    keeper.unref();
    try {
      let current: LoggedInbound | null = first;
      let started = start;
      while (current !== null) {
        if (current.attempt > 0) this.#deps.logger.warn({ conversation: conversationRef(id), attempt: current.attempt }, 'inbound log: a message whose turn was cut short is handled again');
        const turn: QueuedTurn = { entry: current, lease, leaseTtlMs: this.#deps.log.leaseTtlMs, ...(started ? { start: started } : {}) };
        started = undefined;
        await this.#deps.engine.handleInbound(turnMessage(current), turn);
        // A start the turn did not use (the engine did not run it) holds the conversation's lock.
        if (turn.start) await this.#deps.log.abandon(id, turn.start);
        if (turn.next === undefined) current = await this.#finish(id, lease, current);
        else {
          // The store's final step moved the queue on; the entry's acknowledgement goes in a batch.
          this.#deps.log.acknowledge(current);
          current = turn.next;
        }
        if (current !== null && this.#stopDeadline) {
          await this.#deps.log.release(id, lease).catch(() => undefined);
          return;
        }
      }
    } finally {
      clearInterval(keeper);
      if (this.#draining.get(id) === lease) this.#draining.delete(id);
    }
  }

  /**
   * Tells the log the turn of `done` is over and resolves the next message. While the store is
   * away this is retried (the reply has gone out; running the turn again would answer twice),
   * for up to `ackRetryMs`; then the message is left to recovery.
   */
  async #finish(id: ConversationId, lease: string, done: LoggedInbound): Promise<LoggedInbound | null> {
    const deadline = Date.now() + this.#ackRetryMs;
    for (let pauseMs = 200; ; pauseMs = Math.min(pauseMs * 2, 5_000)) {
      try {
        return await this.#deps.log.next(id, lease, done);
      } catch (err) {
        if (Date.now() > deadline || this.#stopDeadline) {
          this.#deps.logger.error({ err: (err as Error).message, conversation: conversationRef(id) }, 'inbound log: a finished turn could not be recorded; it may be answered again');
          return null;
        }
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    }
  }

  #track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.#deps.logger.error({ err: (err as Error).message }, 'inbound handling failed'));
    this.#work.add(p);
    void p.finally(() => this.#work.delete(p));
  }
}
