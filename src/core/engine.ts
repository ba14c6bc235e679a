/**
 * The engine: handleInbound() de-duplicates, locks the conversation, runs the dialogue,
 * carries out its effects, stores state and transcript, renders and sends the replies.
 * Knows nothing of chat apps, Redis or HTTP: everything comes through ports.
 */
import type { ContentSnapshot } from './content.ts';
import { runTurn, type DialogueInput, type Effect, type HandoffReason } from './dialogue/dialogue.ts';
import { encodeAction } from './dialogue/actions.ts';
import { say, type Reply, type ViewContext } from './dialogue/views.ts';
import { AppError, LockTimeoutError, RecipientUnreachableError } from './errors.ts';
import { formatLocalMoment, isOfficeOpen, nextOpeningMs } from './office-hours.ts';
import type { Channel, Clock, ConversationStore, EventBus, HandoffQueue, InboundHandler, Logger, SaveOnRelease, SearchResult } from './ports.ts';
import { renderForChannel } from './render.ts';
import { countMessage } from './rate-limiter.ts';
import {
  conversationIdOf,
  type Button,
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

/** How many older menus are kept so buttons on older messages still work. */
const PREVIOUS_MENUS_KEPT = 2;

/** Things the engine tells observers (metrics, analytics). All optional, never awaited. */
export interface EngineObserver {
  inbound?(channel: ChannelName, kind: InboundMessage['kind']): void;
  duplicate?(channel: ChannelName): void;
  decision?(e: { channel: ChannelName; query: string; result: SearchResult; atMs: number }): void;
  feedback?(e: { channel: ChannelName; guideId: string; helpful: boolean; atMs: number }): void;
  handoff?(e: { channel: ChannelName; reason: HandoffReason; guideId?: string; atMs: number }): void;
  rating?(e: { channel: ChannelName; score: number; atMs: number }): void;
  sent?(channel: ChannelName, messages: number): void;
  sendError?(channel: ChannelName, error: unknown): void;
  replyLatency?(channel: ChannelName, ms: number): void;
  rateLimited?(channel: ChannelName): void;
  /** A citizen erased their conversation (ids only: for the audit log). */
  erased?(e: { channel: ChannelName; conversationId: ConversationId; atMs: number }): void;
}

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

  /** Handles one citizen message end to end. Never rejects: failures are logged. */
  handleInbound(msg: InboundMessage): Promise<void> {
    if (!this.accepting) return Promise.resolve();
    const p = this.process(msg).catch((err: unknown) => {
      this.deps.logger.error({ err: errorSummary(err), channel: msg.channel }, 'inbound message failed');
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

  private async process(msg: InboundMessage): Promise<void> {
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
        this.deps.logger.warn({ err: errorSummary(err) }, 'conversation lock not free in time: answering without state');
        return this.processStateless(msg, id);
      }
      if (!(err instanceof AppError && err.code === 'STORE_UNAVAILABLE')) throw err;
      if (turn.answered) {
        // The citizen has the replies; only the state of this turn is lost. Answering again would send them twice.
        this.deps.logger.warn({ err: errorSummary(err) }, 'turn answered but its state could not be saved');
        return;
      }
      if (!started) {
        observer?.inbound?.(msg.channel, msg.kind);
        this.deps.logger.warn({ err: errorSummary(err) }, 'store unavailable: answering without state');
      }
      return this.processStateless(msg, id);
    }
    observer?.replyLatency?.(msg.channel, clock.nowMs() - startedMs);
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
    if (state.blocked) state.blocked = false; // they came back
    if (state.unreachable) state.unreachable = false;

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
    if (erased) {
      await this.deliver(next, replies, { record: false });
      return;
    }
    next.updatedAtMs = now;
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
    const state = newState(msg, this.deps.clock.nowMs());
    const turn = runTurn({ snapshot: this.deps.snapshot(), ttlDays: this.deps.options.conversationTtlDays }, state, toInput(msg));
    const replies: Reply[] = [{ text: say(this.view(state), 'no_state') }];
    for (const r of turn.replies) replies.push(r);
    if (turn.effects.some((e) => e.type === 'handoff')) replies.push({ text: say(this.view(state), 'handoff.no_store') });
    const { outbound } = this.prepare(turn.state, replies);
    void id;
    await this.send(turn.state, outbound);
  }

  private async applyEffect(effect: Effect, state: ConversationState, citizenText?: string): Promise<Reply[]> {
    const { queue, events, clock, store, observer } = this.deps;
    const now = clock.nowMs();
    const v = this.view(state);
    switch (effect.type) {
      case 'handoff': {
        if (state.mode !== 'bot') {
          const position = (await queue.position(state.id)) ?? 1;
          return [{ text: say(v, 'handoff.already', { position }) }];
        }
        const position = await queue.enqueue({
          id: state.id,
          channel: state.channel,
          waitingSinceMs: now,
          reason: effect.reason,
          guideId: state.guideId,
          lastMessage: citizenText,
          lastMessageAtMs: citizenText ? now : undefined,
        });
        state.mode = 'waiting';
        state.pending = undefined;
        state.handoffReason = effect.reason;
        observer?.handoff?.({ channel: state.channel, reason: effect.reason, guideId: state.guideId, atMs: now });
        await events.publish({ type: 'queue', conversationId: state.id, atMs: now });
        const replies: Reply[] = [];
        const hours = this.deps.snapshot().content.officeHours;
        if (!isOfficeOpen(hours, now)) {
          const opens = nextOpeningMs(hours, now);
          if (opens !== null) replies.push({ text: say(v, 'handoff.closed', { reopens: formatLocalMoment(opens, hours.time_zone, state.lang) }) });
        }
        replies.unshift({ text: say(v, 'handoff.queued', { position }), options: [{ label: say(v, 'btn.cancel'), action: { type: 'cancel' } }] });
        return replies;
      }
      case 'cancel-handoff':
        await queue.remove(state.id);
        await events.publish({ type: 'status', conversationId: state.id, atMs: now });
        return [];
      case 'relay':
        await queue.touch(state.id, effect.text, now);
        return [];
      case 'erase':
        await store.erase(state.id);
        await queue.remove(state.id);
        observer?.erased?.({ channel: state.channel, conversationId: state.id, atMs: now });
        await events.publish({ type: 'status', conversationId: state.id, atMs: now });
        return [{ text: say(v, 'erase.done') }];
      case 'feedback':
        observer?.feedback?.({ channel: state.channel, guideId: effect.guideId, helpful: effect.helpful, atMs: now });
        return [];
      case 'rating':
        observer?.rating?.({ channel: state.channel, score: effect.score, atMs: now });
        return [];
      case 'searched':
        observer?.decision?.({ channel: state.channel, query: effect.query, result: effect.result, atMs: now });
        return [];
    }
  }

  /**
   * Numbers the options of the replies (the last menu wins), remembers the menu in the state,
   * and returns the outbound messages plus their transcript lines.
   */
  private prepare(state: ConversationState, replies: readonly Reply[], keepMenu = false): { outbound: OutboundMessage[]; entries: TranscriptEntry[] } {
    const now = this.deps.clock.nowMs();
    const outbound: OutboundMessage[] = [];
    const entries: TranscriptEntry[] = [];
    for (const r of replies) {
      let menuSeq = 0;
      const buttons: Button[] = [];
      if (r.options && r.options.length > 0 && !keepMenu) {
        if (state.options.length > 0) {
          state.previousMenus = [{ seq: state.menuSeq, options: state.options }, ...(state.previousMenus ?? [])].slice(0, PREVIOUS_MENUS_KEPT);
        }
        state.menuSeq += 1;
        menuSeq = state.menuSeq;
        state.options = r.options.map((o) => encodeAction(o.action));
        r.options.forEach((o, i) => buttons.push({ kind: 'option', label: o.label, index: i + 1 }));
      }
      for (const l of r.links ?? []) buttons.push({ kind: 'url', label: l.label, url: l.url });
      outbound.push({ text: r.text, buttons, menuSeq });
      const labels = buttons.map((b) => (b.kind === 'option' ? `${b.index}. ${b.label}` : b.label));
      entries.push({ atMs: now, role: 'bot', text: labels.length > 0 ? `${r.text}\n[${labels.join(' | ')}]` : r.text });
    }
    return { outbound, entries };
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
    const { outbound, entries } = this.prepare(state, replies, opts.keepMenu);
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
