/**
 * The web chat's outbox in process memory: one instance only, nothing survives a restart.
 * Sessions are kept in least-recently-used order (the oldest dropped past `sessionsMax`) and
 * expire `ttlMs` after their last message, like the Redis outbox's keys.
 */
import { systemClock, type Clock, type WebOutboxDraft, type WebOutboxItem, type WebOutboxPage, type WebOutboxStore } from '../../core/ports.ts';
import { SessionWaiters } from '../session-waiters.ts';
import { DEFAULT_CONVERSATION_TTL_MS, DEFAULT_WEB_OUTBOX_MAX, DEFAULT_WEB_SESSIONS_MAX, jsonCopy } from '../defaults.ts';

/** Options of {@link MemoryWebOutbox}. */
export interface MemoryWebOutboxOptions {
  /** Messages kept per session. Default 50. */
  readonly maxItems?: number;
  /** Sessions kept before the least recently used is dropped. Default 10 000. */
  readonly sessionsMax?: number;
  /** Idle lifetime of a session's outbox, ms (the conversation TTL). Default 30 days. */
  readonly ttlMs?: number;
  /** Time source for expiry (tests move it). Default: the system clock. */
  readonly clock?: Clock;
}

interface Outbox {
  seq: number;
  items: WebOutboxItem[];
  expiresAtMs: number;
}

/** In-memory {@link WebOutboxStore}. Never throws. */
export class MemoryWebOutbox implements WebOutboxStore {
  readonly #maxItems: number;
  readonly #sessionsMax: number;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  /** Insertion order = least recently used first. */
  readonly #outboxes = new Map<string, Outbox>();
  /** Pending `wait` calls by session (kept apart so dropping an outbox never drops a waiter). */
  readonly #waiters = new SessionWaiters();
  #closed = false;

  constructor(options: MemoryWebOutboxOptions = {}) {
    this.#maxItems = Math.max(1, options.maxItems ?? DEFAULT_WEB_OUTBOX_MAX);
    this.#sessionsMax = Math.max(1, options.sessionsMax ?? DEFAULT_WEB_SESSIONS_MAX);
    this.#ttlMs = options.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS;
    this.#clock = options.clock ?? systemClock;
  }

  async append(sessionId: string, item: WebOutboxDraft, keepAtLeastMs?: number): Promise<number> {
    let box = this.#live(sessionId);
    if (box === undefined) {
      box = { seq: 0, items: [], expiresAtMs: 0 };
      if (this.#outboxes.size >= this.#sessionsMax) {
        const oldest = this.#outboxes.keys().next().value;
        if (oldest !== undefined) this.#outboxes.delete(oldest);
      }
    }
    this.#outboxes.delete(sessionId); // most recently used last
    this.#outboxes.set(sessionId, box);
    box.seq += 1;
    box.items.push({ ...jsonCopy(item), seq: box.seq });
    if (box.items.length > this.#maxItems) box.items.splice(0, box.items.length - this.#maxItems);
    const now = this.#clock.nowMs();
    box.expiresAtMs = keepAtLeastMs === undefined ? now + this.#ttlMs : Math.max(box.expiresAtMs, now + keepAtLeastMs);
    this.#waiters.wake(sessionId);
    return box.seq;
  }

  async read(sessionId: string, afterSeq: number): Promise<WebOutboxPage> {
    const box = this.#live(sessionId);
    if (box === undefined) return { items: [], cursor: 0 };
    // Past the latest seq: the numbering started again (this process restarted), so all of it is new to the page.
    const after = afterSeq > box.seq ? 0 : afterSeq;
    return { items: jsonCopy(box.items.filter((i) => i.seq > after)), cursor: box.seq };
  }

  async cursor(sessionId: string): Promise<number> {
    return this.#live(sessionId)?.seq ?? 0;
  }

  async clear(sessionId: string): Promise<void> {
    const box = this.#live(sessionId);
    if (box !== undefined) box.items = [];
  }

  wait(sessionId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#closed || (this.#live(sessionId)?.seq ?? 0) !== afterSeq || signal?.aborted) return Promise.resolve();
    return this.#waiters.add(sessionId, timeoutMs, signal).promise;
  }

  /** Pending `wait` calls; in memory each listens for a wake-up at once (for tests). */
  get waitingCount(): number {
    return this.#waiters.size;
  }

  /** Ends every pending `wait` (they resolve, as on timeout); later waits resolve at once. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#waiters.wakeAll();
  }

  /** The session's outbox unless absent or expired (an expired one is dropped). */
  #live(sessionId: string): Outbox | undefined {
    const box = this.#outboxes.get(sessionId);
    if (box === undefined) return undefined;
    if (box.expiresAtMs <= this.#clock.nowMs()) {
      this.#outboxes.delete(sessionId);
      return undefined;
    }
    return box;
  }
}
