/**
 * The conversation store in process memory: one instance only, nothing survives a restart.
 * Same behaviour as the Redis store (TTL refreshed on activity, bounded transcript, FIFO lock).
 */
import { systemClock, type Clock, type ConversationStore, type SaveOnRelease } from '../../core/ports.ts';
import type { ConversationId, ConversationState, TranscriptEntry } from '../../core/types.ts';
import { KeyedFifoLock } from '../keyed-fifo-lock.ts';
import {
  DEFAULT_CONVERSATION_TTL_MS,
  DEFAULT_LOCK_WAIT_MS,
  DEFAULT_TRANSCRIPT_MAX,
  jsonCopy,
} from '../defaults.ts';
import { TtlMap } from './ttl-map.ts';

/** Options of {@link MemoryConversationStore}. */
export interface MemoryConversationStoreOptions {
  /** Idle lifetime of a conversation (state and transcript together), ms. Default 30 days. */
  readonly ttlMs?: number;
  /** Lifetime of a conversation whose state is `greetingOnly`, ms. Default: `ttlMs`. */
  readonly greetingTtlMs?: number;
  /** Transcript lines kept. Default 50. */
  readonly transcriptMax?: number;
  /** Default wait for `withLock`, ms. Default 10 000. */
  readonly lockWaitMs?: number;
  /** Time source for expiry (tests move it). Default: the system clock. */
  readonly clock?: Clock;
}

interface ConversationRecord {
  state: ConversationState | undefined;
  transcript: TranscriptEntry[];
}

/**
 * In-memory {@link ConversationStore}. State and transcript of a conversation expire
 * together `ttlMs` after the last save or append (`greetingTtlMs` while the state is
 * `greetingOnly`). Never throws for a missing conversation.
 */
export class MemoryConversationStore implements ConversationStore {
  readonly #ttlMs: number;
  readonly #greetingTtlMs: number;
  readonly #transcriptMax: number;
  readonly #lockWaitMs: number;
  readonly #conversations: TtlMap<ConversationRecord>;
  readonly #seen: TtlMap<true>;
  readonly #locks = new KeyedFifoLock();

  constructor(options: MemoryConversationStoreOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.#ttlMs = options.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS;
    this.#greetingTtlMs = Math.min(this.#ttlMs, options.greetingTtlMs ?? this.#ttlMs);
    this.#transcriptMax = Math.max(1, options.transcriptMax ?? DEFAULT_TRANSCRIPT_MAX);
    this.#lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.#conversations = new TtlMap(clock);
    this.#seen = new TtlMap(clock);
  }

  async get(id: ConversationId): Promise<ConversationState | null> {
    const state = this.#conversations.get(id)?.state;
    return state === undefined ? null : jsonCopy(state);
  }

  async save(state: ConversationState, transcript: readonly TranscriptEntry[] = []): Promise<void> {
    const record = this.#conversations.get(state.id) ?? { state: undefined, transcript: [] };
    record.state = jsonCopy(state);
    this.#append(record, transcript);
    this.#conversations.set(state.id, record, this.#ttlOf(record.state));
  }

  async appendTranscript(id: ConversationId, entries: readonly TranscriptEntry[]): Promise<void> {
    const record = this.#conversations.get(id) ?? { state: undefined, transcript: [] };
    this.#append(record, entries);
    this.#conversations.set(id, record, this.#ttlOf(record.state));
  }

  /** How long a conversation with this state is kept from now. */
  #ttlOf(state: ConversationState | undefined): number {
    return state?.greetingOnly ? this.#greetingTtlMs : this.#ttlMs;
  }

  async transcript(id: ConversationId): Promise<TranscriptEntry[]> {
    return (this.#conversations.get(id)?.transcript ?? []).map(jsonCopy);
  }

  async erase(id: ConversationId): Promise<void> {
    this.#conversations.delete(id);
  }

  async markSeen(messageKey: string, ttlMs: number): Promise<boolean> {
    if (this.#seen.has(messageKey)) return false;
    this.#seen.set(messageKey, true, ttlMs);
    return true;
  }

  /** Runs `fn` alone for `id` with its state, callers served in call order; `LockTimeoutError` after `waitMs`. */
  async withLock<T>(id: ConversationId, fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>, waitMs = this.#lockWaitMs): Promise<T> {
    const release = await this.#locks.acquire(id, waitMs);
    try {
      let final: { state: ConversationState; transcript: readonly TranscriptEntry[] } | undefined;
      const value = await fn(await this.get(id), (state, transcript = []) => {
        final = { state, transcript };
      });
      if (final) await this.save(final.state, final.transcript);
      return value;
    } finally {
      release();
    }
  }

  /** markSeen (per conversation) and withLock together; `{ first: false }` at once for a key already seen. */
  async withLockOnce<T>(
    id: ConversationId,
    messageKey: string,
    ttlMs: number,
    fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>,
    waitMs = this.#lockWaitMs,
  ): Promise<{ readonly first: true; readonly value: T } | { readonly first: false }> {
    if (!(await this.markSeen(`${id}\u0000${messageKey}`, ttlMs))) return { first: false };
    return { first: true, value: await this.withLock(id, fn, waitMs) };
  }

  async ping(): Promise<boolean> {
    return true;
  }

  #append(record: ConversationRecord, entries: readonly TranscriptEntry[]): void {
    if (entries.length === 0) return;
    record.transcript.push(...entries.map(jsonCopy));
    if (record.transcript.length > this.#transcriptMax) {
      record.transcript.splice(0, record.transcript.length - this.#transcriptMax);
    }
  }
}
