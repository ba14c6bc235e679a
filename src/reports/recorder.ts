/**
 * Records what editors' reports need, from the engine's observer hooks and from hand-off
 * claims. The hooks are synchronous and on the citizen's path, so they only queue: a timer
 * writes the queue to the {@link AnalyticsStore} in batches, a failed write is retried on the
 * next flush, and nothing here ever throws into the engine.
 *
 * Privacy: the query kept is the index's report form (masked, then normalised), masked again
 * by {@link storedQuery} and cut to {@link QUERY_MAX_CHARS}; no chat ids, user ids or names are
 * recorded.
 */
import type { EngineObserver } from '../core/engine.ts';
import type { AnalyticsEvent, AnalyticsStore, ClaimResult, Clock, HandoffQueue, HandoffTicket, Logger } from '../core/ports.ts';
import type { ConversationId } from '../core/types.ts';
import { maskPii, scrubNormalizedQuery } from '../core/privacy.ts';

/** Longest normalised query kept, in characters. */
export const QUERY_MAX_CHARS = 200;

/** Options of {@link AnalyticsRecorder}. */
export interface AnalyticsRecorderOptions {
  readonly store: AnalyticsStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long events wait in the queue before a write, ms. Default 1 000. */
  readonly flushEveryMs?: number;
  /** Most events queued while the store is failing; the oldest are dropped past it. Default 10 000. */
  readonly maxQueued?: number;
}

/**
 * The masked, trimmed form of a normalised query, as stored. The index already masked the
 * message before normalising it (`SearchResult.normalized`); this masks again what could
 * remain (numbers, an address's words, a password's value), as a second net.
 */
export function storedQuery(normalized: string): string {
  return scrubNormalizedQuery(maskPii(normalized).replace(/\s+/g, ' ').trim()).slice(0, QUERY_MAX_CHARS);
}

/** An engine observer (and claim listener) that queues analytics events and writes them in batches. */
export class AnalyticsRecorder implements EngineObserver {
  readonly #opts: AnalyticsRecorderOptions;
  #queue: AnalyticsEvent[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #failing = false;
  #dropped = 0;

  constructor(options: AnalyticsRecorderOptions) {
    this.#opts = options;
  }

  decision(e: Parameters<NonNullable<EngineObserver['decision']>>[0]): void {
    this.#push({
      kind: 'question',
      atMs: e.atMs,
      channel: e.channel,
      decision: e.result.decision,
      query: storedQuery(e.result.normalized),
      guides: e.result.guides.slice(0, 3).map((g) => g.id),
      confidence: Math.round(e.result.confidence * 1000) / 1000,
      ...(e.result.intent === 'not-covered' && { notCovered: true as const }),
    });
  }

  feedback(e: Parameters<NonNullable<EngineObserver['feedback']>>[0]): void {
    this.#push({ kind: 'feedback', atMs: e.atMs, channel: e.channel, guideId: e.guideId, helpful: e.helpful });
  }

  handoff(e: Parameters<NonNullable<EngineObserver['handoff']>>[0]): void {
    this.#push({ kind: 'handoff', atMs: e.atMs, channel: e.channel, reason: e.reason, ...(e.guideId ? { guideId: e.guideId } : {}) });
  }

  rating(e: Parameters<NonNullable<EngineObserver['rating']>>[0]): void {
    this.#push({ kind: 'rating', atMs: e.atMs, channel: e.channel, score: e.score });
  }

  /** A person claimed a ticket: records how long the citizen waited (claim time − waiting since). */
  claimed(ticket: HandoffTicket): void {
    const atMs = ticket.claimedAtMs ?? this.#opts.clock.nowMs();
    this.#push({ kind: 'claimed', atMs, channel: ticket.channel, waitMs: Math.max(0, atMs - ticket.waitingSinceMs) });
  }

  /** Events queued and not yet written. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Writes everything queued now. Never rejects: a failed batch stays queued for the next flush. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#flushing ??= this.#write().finally(() => {
      this.#flushing = null;
      if (this.#queue.length > 0 && !this.#failing) this.#schedule();
    });
    return this.#flushing;
  }

  /** Final flush (call on shutdown). */
  async close(): Promise<void> {
    await this.#flushing;
    await this.flush();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #push(event: AnalyticsEvent): void {
    this.#queue.push(event);
    const max = this.#opts.maxQueued ?? 10_000;
    if (this.#queue.length > max) {
      this.#dropped += this.#queue.length - max;
      this.#queue.splice(0, this.#queue.length - max);
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer || this.#flushing) return;
    this.#timer = setTimeout(() => void this.flush(), this.#opts.flushEveryMs ?? 1_000);
    this.#timer.unref();
  }

  async #write(): Promise<void> {
    const batch = this.#queue;
    if (batch.length === 0) return;
    this.#queue = [];
    try {
      await this.#opts.store.record(batch);
      if (this.#failing || this.#dropped > 0) {
        this.#opts.logger.info({ written: batch.length, dropped: this.#dropped }, 'analytics writes resumed');
      }
      this.#failing = false;
      this.#dropped = 0;
    } catch (err) {
      this.#queue = [...batch, ...this.#queue];
      if (!this.#failing) this.#opts.logger.warn({ err: (err as Error).message, queued: this.#queue.length }, 'analytics write failed; will retry');
      this.#failing = true;
      // Retry later, but not in a tight loop.
      this.#timer = setTimeout(() => void this.flush(), Math.max(5_000, this.#opts.flushEveryMs ?? 1_000));
      this.#timer.unref();
    }
  }
}

/**
 * The hand-off queue with every successful claim reported to `onClaimed` (how the staff wait
 * time is measured, whoever claims: the console, a staff chat, the CLI). Everything else
 * passes through unchanged; a throwing listener is ignored.
 */
export function reportClaims(queue: HandoffQueue, onClaimed: (ticket: HandoffTicket) => void): HandoffQueue {
  return {
    enqueue: (t) => queue.enqueue(t),
    position: (id) => queue.position(id),
    get: (id) => queue.get(id),
    list: () => queue.list(),
    async claim(id: ConversationId, staff: string, nowMs: number): Promise<ClaimResult> {
      const result = await queue.claim(id, staff, nowMs);
      if (result.ok) {
        try {
          onClaimed(result.ticket);
        } catch {
          /* reports never break a claim */
        }
      }
      return result;
    },
    release: (id, staff) => queue.release(id, staff),
    transfer: (id, from, to, nowMs) => queue.transfer(id, from, to, nowMs),
    touch: (id, text, atMs) => queue.touch(id, text, atMs),
    remove: (id) => queue.remove(id),
    ids: () => queue.ids(),
    counts: () => queue.counts(),
    page: (status, offset, limit) => queue.page(status, offset, limit),
    sweep: (nowMs, idleMs, limit) => queue.sweep(nowMs, idleMs, limit),
  };
}
