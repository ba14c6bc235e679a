/**
 * The durable inbound log's port: what a webhook accepted is written here before it is
 * answered 200, so that no instance's death loses it, and a conversation's messages are handled
 * one at a time in the order the platform numbered them, whichever instance received them.
 * Re-exported by ports.ts. The Redis implementation is stores/redis/redis-inbound-log.ts; the
 * use of it, core/durable-inbound.ts.
 */
import type { ConversationId, InboundMessage } from './types.ts';

/** Options of {@link InboundHandler.accept}. */
export interface AcceptOptions {
  /**
   * This instance starts the message's turn only once this settles (e.g. a "typing…" hint sent
   * first). The message is safe in the log meanwhile.
   */
  readonly startAfter?: Promise<unknown>;
}

/** A message as the log hands it out for its turn. */
export interface LoggedInbound {
  /** The log entry it came with (Redis: the stream entry id). */
  readonly entryId: string;
  readonly message: InboundMessage;
  /** Its place in the conversation: the platform's number (`order`), else `sentAtMs`. */
  readonly order: number;
  /**
   * How many times it was handed out for a turn before: 0 the first time; more when an instance
   * died (or lost Redis) during its turn, so the turn must run again.
   */
  readonly attempt: number;
}

/**
 * A turn already started by the step that handed its message out (the offer): the
 * conversation's lock, taken with the message marked seen, and the state as the store keeps it
 * (raw). Only a store of the same kind can use it (see {@link QueuedTurn}).
 */
export interface TurnStart {
  readonly lock: string;
  readonly state: string | null;
}

/**
 * A logged message's turn as the durable inbound path runs it: handed to the engine with the
 * message, and by the engine to the store's `withLockOnce`. A store that can (Redis) saves round
 * trips with it: it runs the turn under `start` when the offer took it, and moves the
 * conversation's queue on (what {@link InboundLog.next} does) in the same step as the turn's final
 * save, setting `next`. A store that cannot ignores it, and the caller then calls `next` itself.
 */
export interface QueuedTurn {
  readonly entry: LoggedInbound;
  /** The lease of the drain running the turn. */
  readonly lease: string;
  /** {@link InboundLog.leaseTtlMs}. */
  readonly leaseTtlMs: number;
  /** Set by the log's offer; cleared by the store that takes it. Still set after the turn: release it ({@link InboundLog.abandon}). */
  start?: TurnStart;
  /** Set by the store when its final step moved the queue on: the next message (the lease kept), or null. */
  next?: LoggedInbound | null;
}

/**
 * What offering a logged message to its conversation's queue gave: this caller now holds the
 * conversation (`drain`: handle `next` first, then ask for the next one; `start`: its turn is
 * started already), another instance does (`queued`: it will come to this message), or the
 * message was handled before (`done`: a redelivery; its entry is acknowledged).
 */
export type OfferOutcome =
  | { readonly kind: 'drain'; readonly lease: string; readonly next: LoggedInbound; readonly start?: TurnStart }
  | { readonly kind: 'queued' }
  | { readonly kind: 'done' };

/**
 * The durable inbound log with a queue per conversation, drained by whoever holds the
 * conversation's lease. Every method rejects with `StoreUnavailableError` while the store is away.
 */
export interface InboundLog {
  /**
   * Writes `message` to the log. Resolves its entry (`own`, to be offered at once: the webhook
   * answers once it is in its conversation's queue, so a citizen's next message cannot overtake
   * it), and `taken`: entries no instance had taken yet, now this instance's to offer (one at
   * most; that keeps every entry in some instance's hands, which is what recovery relies on).
   */
  append(message: InboundMessage): Promise<{ readonly own: LoggedInbound; readonly taken: readonly LoggedInbound[] }>;
  /**
   * Puts the entry in its conversation's queue (once per message: a redelivery is `done`), then
   * takes the conversation's lease when it is free. `mayTakeOwn`: this instance is not draining
   * the conversation right now, so a lease of its own found in the store is stale (left by a turn
   * that ended without releasing it) and may be taken over. `startTurn`: the caller runs the
   * turn at once, so a log that can may start it in the same step (`start` of the outcome).
   */
  offer(entry: LoggedInbound, mayTakeOwn: boolean, startTurn?: boolean): Promise<OfferOutcome>;
  /**
   * `append`, then `offer` of the appended message (with `startTurn`), in one step; absent where
   * the log cannot do both at once (Redis Cluster: two hash slots). Rejects as `append` does when
   * nothing was appended; `outcome` is null when the offer failed after the append (the entry
   * stays pending and is recovered).
   */
  readonly appendOffer?: (
    message: InboundMessage,
    mayTakeOwn: boolean,
  ) => Promise<{ readonly own: LoggedInbound; readonly taken: readonly LoggedInbound[]; readonly outcome: OfferOutcome | null }>;
  /**
   * The turn of `done` is over: removes it from the queue and acknowledges its entry (soon:
   * acknowledgements go in batches, see {@link InboundLog.acknowledge}), then
   * resolves the conversation's next message (the lease kept), or null (the lease released, or
   * lost to another instance).
   */
  next(id: ConversationId, lease: string, done: LoggedInbound): Promise<LoggedInbound | null>;
  /**
   * The turn of `done` is over and its queue moved on already (the store did it with the turn's
   * save): acknowledges its entry, soon (acknowledgements go in batches).
   */
  acknowledge(done: LoggedInbound): void;
  /** Writes the acknowledgements still waiting (stopping). Never rejects. */
  flush(): Promise<void>;
  /** Releases a turn's start the turn did not use (the engine did not run it). Never rejects. */
  abandon(id: ConversationId, start: TurnStart): Promise<void>;
  /** Keeps the lease while a turn runs long; false when it is no longer ours. */
  extend(id: ConversationId, lease: string): Promise<boolean>;
  /** Lets go of the lease (stopping): the queue stays for another instance. */
  release(id: ConversationId, lease: string): Promise<void>;
  /**
   * What needs an owner: entries taken by an instance that has not acknowledged them for a while
   * (it died), and entries no instance took yet. Each is to be offered again.
   */
  recover(): Promise<readonly LoggedInbound[]>;
  /** Lifetime of a lease unless extended, ms. */
  readonly leaseTtlMs: number;
}

/**
 * Hands a message over the way a webhook needs (see {@link InboundHandler.accept}): through the
 * handler's `accept` when it has one; otherwise the turn starts in the background (after
 * `startAfter`) and this resolves at once. `track` receives that background turn, if any.
 */
export async function acceptInbound(
  handler: { handleInbound(message: InboundMessage): Promise<void>; accept?(message: InboundMessage, options?: AcceptOptions): Promise<void> },
  message: InboundMessage,
  options: AcceptOptions = {},
  track?: (turn: Promise<void>) => void,
): Promise<void> {
  if (handler.accept) return handler.accept(message, options);
  const turn = (options.startAfter ?? Promise.resolve()).then(
    () => handler.handleInbound(message),
    () => handler.handleInbound(message),
  );
  track?.(turn);
}
