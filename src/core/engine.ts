/**
 * The engine: handleInbound() de-duplicates, locks the conversation, runs the dialogue,
 * carries out its effects, stores state and transcript, renders and sends the replies.
 * Knows nothing of chat apps, Redis or HTTP: everything comes through ports.
 */
import type { ContentSnapshot } from './content.ts';
import { runTurn, type DialogueInput, type Effect } from './dialogue/dialogue.ts';
import { say, type Reply, type ViewContext } from './dialogue/views.ts';
import { applyEffect } from './effects.ts';
import { keepAfterClose } from './handoff/case-log.ts';
import { AppError, LockTimeoutError, RecipientUnreachableError, StoreUnavailableError } from './errors.ts';
import { conversationRef } from './conversation-ref.ts';
import { numberReplies } from './menus.ts';
import type { EngineObserver } from './observer.ts';
import type { Channel, Clock, ConversationHistory, ConversationStore, EventBus, HandoffQueue, InboundHandler, Logger, QueuedTurn, SaveOnRelease } from './ports.ts';
import { renderForChannel } from './render.ts';
import { countMessage } from './rate-limiter.ts';
import { neutralizeBidi } from './text.ts';
import {
  CHAT_ID_MAX,
  conversationIdOf,
  type ChannelName,
  type ConversationId,
  type ConversationState,
  type InboundMessage,
  type OutboundMessage,
  type TranscriptEntry,
} from './types.ts';

/** How long an inbound message id is remembered for de-duplication. */
export const DEDUPE_TTL_MS = 26 * 60 * 60 * 1000;
/** Effects that tell nobody else about the turn (so its save may wait until the replies are sent). */
const QUIET_EFFECTS: ReadonlySet<Effect['type']> = new Set(['searched', 'feedback', 'rating']);

export type { EngineObserver } from './observer.ts';

/** Engine settings (with units in the names). */
export interface EngineOptions {
  /** Days conversations are kept (shown in the privacy line). */
  readonly conversationTtlDays: number;
  /** Messages per minute per conversation before the bot asks to slow down (0 = unlimited). */
  readonly rateLimitPerMinute: number;
  readonly lockWaitMs?: number;
}

/** Everything the engine needs. */
export interface EngineDeps {
  /** The current content snapshot (swapped atomically on reload). */
  readonly snapshot: () => ContentSnapshot;
  readonly store: ConversationStore;
  readonly queue: HandoffQueue;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: EngineOptions;
  readonly observer?: EngineObserver;
  /** Where hand-offs are kept for staff's history (none: not kept). */
  readonly history?: ConversationHistory;
  /**
   * Asked before a message is answered without state (the store away): true when the message
   * was taken to be passed to staff later (the conversation is known to be with staff), so the
   * bot must not answer it. None: every such message gets the stateless answer.
   */
  readonly holdForStaff?: (msg: InboundMessage) => boolean;
}

/** The conversation engine. One per process; channels register themselves. */
export class Engine implements InboundHandler {
  private readonly channels = new Map<ChannelName, Channel>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private accepting = true;

  constructor(private readonly deps: EngineDeps) {}

  /** Makes a channel available for replies. */
  registerChannel(channel: Channel): void {
    this.channels.set(channel.name, channel);
  }

  /** The registered channel, if any. */
  channel(name: ChannelName): Channel | undefined {
    return this.channels.get(name);
  }

  /** Handles one citizen message end to end. Never rejects: failures are logged. `queued`: see {@link QueuedTurn}. */
  handleInbound(msg: InboundMessage, queued?: QueuedTurn): Promise<void> {
    if (!this.accepting) return Promise.resolve();
    if (msg.chatId.length === 0 || msg.chatId.length > CHAT_ID_MAX) {
      // Staff could never open such a conversation (its id is too long for the staff API).
      this.deps.logger.warn({ channel: msg.channel, chatIdLength: msg.chatId.length }, 'message with an unusable chat id dropped');
      return Promise.resolve();
    }
    // Bidirectional overrides would make the citizen's words read differently to staff.
    const clean = msg.text === undefined ? msg : { ...msg, text: neutralizeBidi(msg.text) };
    const p = this.process(clean, queued).catch((err: unknown) => {
      const id = conversationIdOf(msg.channel, msg.chatId);
      this.deps.observer?.turnFailed?.({ channel: msg.channel, conversationId: id, reason: 'error' });
      this.deps.logger.error({ err: errorSummary(err), channel: msg.channel, conversation: conversationRef(id) }, 'inbound message failed');
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  /** Messages being handled right now (load shedding, metrics). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Stops taking new messages and waits (up to `timeoutMs`) for those in flight. */
  async drain(timeoutMs = 10_000): Promise<void> {
    this.accepting = false;
    const all = Promise.allSettled([...this.inFlight]);
    await Promise.race([all, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private async process(msg: InboundMessage, queued?: QueuedTurn): Promise<void> {
    const { store, clock, observer } = this.deps;
    const startedMs = clock.nowMs();
    const id = conversationIdOf(msg.channel, msg.chatId);
    let started = false;
    /** The turn's replies went out (its state is saved afterwards, with the lock's release). */
    const turn = { answered: false };
    try {
      // De-duplication, lock and state in one step (one Redis round trip).
      const outcome = await store.withLockOnce(
        id,
        msg.id,
        DEDUPE_TTL_MS,
        (existing, saveOnRelease) => {
          started = true;
          observer?.inbound?.(msg.channel, msg.kind); // counted once: duplicates never get here
          return this.processLocked(msg, id, existing, saveOnRelease, turn);
        },
        this.deps.options.lockWaitMs ?? 15_000,
        queued,
      );
      if (!outcome.first) {
        observer?.duplicate?.(msg.channel);
        return;
      }
    } catch (err) {
      if (err instanceof LockTimeoutError && !started) {
        // Never drop a message: a lock that cannot be had in time (a stale one another instance
        // left, a turn stuck for long) gets the same answer as an outage rather than silence.
        observer?.inbound?.(msg.channel, msg.kind);
        observer?.stateless?.(msg.channel, 'lock');
        this.failed(msg, id, 'lock-timeout', err, 'conversation lock not free in time: answering without state');
        return this.processStateless(msg, id);
      }
      if (!(err instanceof AppError && err.code === 'STORE_UNAVAILABLE')) throw err;
      const reason = err instanceof StoreUnavailableError ? err.reason : 'unavailable';
      if (turn.answered) {
        // The citizen has the replies; only the state of this turn is lost. Answering again would send them twice.
        observer?.unsaved?.(msg.channel);
        this.failed(msg, id, reason, err, 'turn answered but its state could not be saved');
        return;
      }
      if (!started) observer?.inbound?.(msg.channel, msg.kind);
      observer?.stateless?.(msg.channel, 'store');
      this.failed(msg, id, reason, err, 'store unavailable: answering without state');
      return this.processStateless(msg, id);
    }
    observer?.replyLatency?.(msg.channel, clock.nowMs() - startedMs);
  }

  /** A turn that could not use the store: counted by reason, logged with the masked conversation. */
  private failed(msg: InboundMessage, id: ConversationId, reason: string, err: unknown, what: string): void {
    this.deps.observer?.turnFailed?.({ channel: msg.channel, conversationId: id, reason });
    this.deps.logger.warn({ err: errorSummary(err), channel: msg.channel, conversation: conversationRef(id), reason }, what);
  }

  private async processLocked(
    msg: InboundMessage,
    id: ConversationId,
    existing: ConversationState | null,
    saveOnRelease: SaveOnRelease,
    turnState: { answered: boolean },
  ): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.nowMs();
    const state = existing ?? newState(msg, now);
    if (msg.kind === 'blocked') {
      if (existing) await store.save({ ...state, blocked: true, updatedAtMs: now });
      return;
    }
    // Only greetings so far: kept for hours, not the whole conversation lifetime.
    if (existing === null && msg.kind === 'start') state.greetingOnly = true;
    else if (msg.kind !== 'start') delete state.greetingOnly;
    if (state.blocked) state.blocked = false; // they came back
    if (state.unreachable) state.unreachable = false;
    if (msg.displayName) state.displayName = msg.displayName.slice(0, 80);

    // Counted in the state, under the lock: the limit holds across instances.
    const { window, decision: limit } = countMessage(state.rate, this.deps.options.rateLimitPerMinute, 60_000, now);
    if (window) state.rate = window;
    else delete state.rate;
    if (limit !== 'ok') {
      this.deps.observer?.rateLimited?.(msg.channel);
      if (limit === 'first-over') {
        await this.deliver(state, [{ text: say(this.view(state), 'rate_limited') }], { keepMenu: true });
        await store.save({ ...state, updatedAtMs: now });
      }
      return;
    }

    const citizenText = msg.kind === 'text' ? (msg.text ?? '').trim() : undefined;
    const transcript: TranscriptEntry[] = [];
    if (citizenText) transcript.push({ atMs: now, role: 'citizen', text: citizenText });
    else if (msg.kind === 'option') transcript.push({ atMs: now, role: 'citizen', text: `[${msg.optionIndex ?? '?'}]` });

    const turn = runTurn({ snapshot: this.deps.snapshot(), ttlDays: this.deps.options.conversationTtlDays }, state, toInput(msg));
    const next = turn.state;
    const replies = [...turn.replies];
    let erased = false;
    for (const effect of turn.effects) {
      const more = await this.applyEffect(effect, next, citizenText);
      if (effect.type === 'erase') erased = true;
      replies.push(...more);
    }
    this.deps.observer?.turn?.({ channel: msg.channel, conversationId: id, outcome: turn.outcome, guideId: next.guideId, lang: next.lang, mode: next.mode, atMs: now });
    if (erased) {
      await this.deliver(next, replies, { record: false });
      return;
    }
    next.updatedAtMs = now;
    // After a resolution, what the citizen writes stays with the case (a rating is no new question).
    const rated = turn.effects.some((e) => e.type === 'rating');
    if (await keepAfterClose(this.deps, next, rated ? undefined : citizenText, now)) {
      await this.deps.events.publish({ type: 'status', conversationId: id, atMs: now });
    }
    const { outbound, entries } = this.prepare(next, replies);
    const lines = [...transcript, ...entries];
    if (next.mode === 'bot' && turn.effects.every((e) => QUIET_EFFECTS.has(e.type))) {
      // The usual turn (nothing staff watch): send first, then save the turn with the lock's
      // release in one round trip. The lock is held until then, so the next message of this
      // conversation still sees this turn's state.
      await this.send(next, outbound);
      turnState.answered = true;
      saveOnRelease(next, lines);
      return;
    }
    // Staff may be watching (hand-off, queue changes): the transcript is saved before they are told.
    await store.save(next, lines);
    if (transcript.length > 0 && next.mode !== 'bot') {
      await this.deps.events.publish({ type: 'message', conversationId: id, entry: transcript[0], atMs: now });
    }
    await this.send(next, outbound);
  }

  /** Redis is down (or the lock cannot be had in time): answer from the index alone, say we cannot keep the place, store nothing. */
  private async processStateless(msg: InboundMessage, id: ConversationId): Promise<void> {
    if (msg.kind === 'blocked') return;
    // A citizen waiting for (or talking with) staff is never answered by the bot instead.
    if (this.deps.holdForStaff?.(msg)) return;
    const state = newState(msg, this.deps.clock.nowMs());
    const turn = runTurn({ snapshot: this.deps.snapshot(), ttlDays: this.deps.options.conversationTtlDays }, state, toInput(msg));
    const replies: Reply[] = [{ text: say(this.view(state), 'no_state') }];
    for (const r of turn.replies) replies.push(r);
    if (turn.effects.some((e) => e.type === 'handoff')) replies.push({ text: say(this.view(state), 'handoff.no_store') });
    const { outbound } = this.prepare(turn.state, replies);
    void id;
    await this.send(turn.state, outbound);
  }

  private applyEffect(effect: Effect, state: ConversationState, citizenText?: string): Promise<Reply[]> {
    return applyEffect({ ...this.deps, view: this.view(state) }, effect, state, citizenText);
  }

  /** Numbers the options of the replies and remembers the menu (see {@link numberReplies}). */
  private prepare(state: ConversationState, replies: readonly Reply[], keepMenu = false): { outbound: OutboundMessage[]; entries: TranscriptEntry[] } {
    return numberReplies(state, replies, this.deps.clock.nowMs(), keepMenu);
  }

  /** Renders and sends, in order. Marks the conversation unreachable when the platform says so. */
  private async send(state: ConversationState, outbound: readonly OutboundMessage[]): Promise<void> {
    const channel = this.channels.get(state.channel);
    if (!channel) {
      this.deps.logger.warn({ channel: state.channel }, 'no channel registered to reply through');
      return;
    }
    if (state.blocked) return;
    const hints = { typeNumber: say(this.view(state), 'type_number') };
    let count = 0;
    try {
      for (const o of outbound) {
        for (const chunk of renderForChannel(o, channel.capabilities, hints)) {
          await channel.send(state.chatId, chunk);
          count++;
        }
      }
    } catch (err) {
      this.deps.observer?.sendError?.(state.channel, err);
      if (err instanceof RecipientUnreachableError) {
        state.unreachable = true;
        await this.deps.store.save(state).catch(() => undefined);
        this.deps.logger.warn({ channel: state.channel, code: err.code }, 'recipient unreachable; conversation marked');
      } else {
        this.deps.logger.error({ err: errorSummary(err), channel: state.channel }, 'send failed');
      }
    } finally {
      if (count > 0) this.deps.observer?.sent?.(state.channel, count);
    }
  }

  /** Sends replies outside a citizen turn (staff messages, hand-off updates) and records them. */
  async deliver(
    state: ConversationState,
    replies: readonly Reply[],
    opts: { record?: boolean; keepMenu?: boolean; role?: 'bot' | 'staff' | 'system'; by?: string } = {},
  ): Promise<void> {
    const prepared = this.prepare(state, replies, opts.keepMenu);
    const { entries } = prepared;
    // A person's words: channels that can (the web chat) show them apart from the bot's.
    const outbound = opts.role === 'staff' ? prepared.outbound.map((o) => ({ ...o, fromStaff: true })) : prepared.outbound;
    if (opts.record !== false) {
      const role = opts.role ?? 'bot';
      await this.deps.store.appendTranscript(
        state.id,
        entries.map((e) => ({ ...e, role, ...(opts.by ? { by: opts.by } : {}) })),
      );
    }
    await this.send(state, outbound);
  }

  /** A view context for a state (language, content). */
  view(state: Pick<ConversationState, 'lang'>): ViewContext {
    return { content: this.deps.snapshot().content, lang: state.lang, ttlDays: this.deps.options.conversationTtlDays };
  }

  /** Runs `fn` on a conversation's state under its lock and saves the result (for staff actions). */
  async updateConversation<T>(id: ConversationId, fn: (state: ConversationState) => Promise<T>): Promise<T | null> {
    return this.deps.store.withLock(id, async (state) => {
      if (!state) return null;
      const result = await fn(state);
      state.updatedAtMs = this.deps.clock.nowMs();
      await this.deps.store.save(state);
      return result;
    });
  }
}

function toInput(msg: InboundMessage): DialogueInput {
  switch (msg.kind) {
    case 'option':
      return { kind: 'option', index: msg.optionIndex ?? 0, menuSeq: msg.menuSeq };
    case 'start':
      return { kind: 'start' };
    case 'media':
      return { kind: 'media' };
    case 'unsupported':
      return { kind: 'unsupported' };
    default:
      return { kind: 'text', text: msg.text ?? '' };
  }
}

/** A fresh conversation state (Vietnamese first). */
export function newState(msg: Pick<InboundMessage, 'channel' | 'chatId'>, nowMs: number): ConversationState {
  return {
    id: conversationIdOf(msg.channel, msg.chatId),
    channel: msg.channel,
    chatId: msg.chatId,
    lang: 'vi',
    mode: 'bot',
    options: [],
    menuSeq: 0,
    fallbacks: 0,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
}

/** An error as a small log object: name, code and message only (no payloads, no tokens). */
export function errorSummary(err: unknown): { name: string; code?: string; message: string } {
  if (err instanceof Error) {
    return { name: err.name, code: (err as { code?: string }).code, message: err.message.slice(0, 300) };
  }
  return { name: 'Unknown', message: String(err).slice(0, 300) };
}
