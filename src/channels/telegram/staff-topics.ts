/**
 * Where the Telegram staff group keeps, in the shared key-value store (Redis behind several
 * instances), which forum topic belongs to which handed-off conversation, and the small locks
 * that keep two instances from creating two topics for one conversation.
 *
 * Keys (under the store's own prefix), per staff chat so a new TELEGRAM_STAFF_CHAT_ID starts clean:
 * - `tg:staff:<chat>:conv:<conversationId>` → {@link StaffTopicRecord} as JSON (the open topic);
 * - `tg:staff:<chat>:thread:<message_thread_id>` → conversation id (kept after the topic closes,
 *   so a message written in an old topic can be answered "this conversation has ended");
 * - `tg:staff:<chat>:lock:<conversationId>` → a lock token while one instance works on the topic;
 * - `tg:staff:<chat>:seen:<digest>` → marks a live event as handled by some instance.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from '../../core/ports.ts';
import { parseConversationId, type ConversationId } from '../../core/types.ts';

/** How long a topic mapping is kept without activity, ms (default: 30 days, like conversations). */
export const STAFF_TOPIC_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** How long one instance may hold a conversation's topic lock, ms (Bot API retries included). */
export const STAFF_TOPIC_LOCK_TTL_MS = 120_000;
/** How long a caller waits for a conversation's topic lock before giving up, ms. */
export const STAFF_TOPIC_LOCK_WAIT_MS = 60_000;
/** How long a handled live event is remembered (events are delivered within seconds), ms. */
export const STAFF_EVENT_SEEN_TTL_MS = 10 * 60_000;
/** Poll interval while waiting for a lock, ms. */
const LOCK_POLL_MS = 50;

/** The open topic of one conversation and the ticket state last announced in it. */
export interface StaffTopicRecord {
  /** The forum topic's message_thread_id. */
  readonly threadId: number;
  /** Ticket status last shown in the topic. */
  readonly status: 'waiting' | 'active';
  /** Staff username last shown as owner (status `active`). */
  readonly owner?: string;
}

/** The conversation a topic belongs to, and whether that topic is still the open one. */
export interface StaffThreadLookup {
  readonly conversationId: ConversationId;
  /** False when the conversation ended or moved to a newer topic. */
  readonly open: boolean;
  readonly record: StaffTopicRecord | null;
}

/** The lock could not be taken within the wait. */
export class StaffTopicLockTimeoutError extends Error {
  constructor(conversationId: string) {
    super(`staff topic of ${conversationId} is locked by another instance`);
    this.name = 'StaffTopicLockTimeoutError';
  }
}

/** Options of {@link StaffTopicStore}. */
export interface StaffTopicStoreOptions {
  readonly kv: KeyValueStore;
  /** The staff supergroup's chat id (part of every key). */
  readonly chatId: string;
  /** Mapping lifetime, ms; refreshed on every write. Default {@link STAFF_TOPIC_TTL_MS}. */
  readonly ttlMs?: number;
  readonly lockTtlMs?: number;
  readonly lockWaitMs?: number;
}

/** Topic mappings, locks and event marks in the shared key-value store. Store errors propagate. */
export class StaffTopicStore {
  private readonly kv: KeyValueStore;
  private readonly base: string;
  private readonly ttlMs: number;
  private readonly lockTtlMs: number;
  private readonly lockWaitMs: number;

  constructor(options: StaffTopicStoreOptions) {
    this.kv = options.kv;
    this.base = `tg:staff:${options.chatId}:`;
    this.ttlMs = options.ttlMs ?? STAFF_TOPIC_TTL_MS;
    this.lockTtlMs = options.lockTtlMs ?? STAFF_TOPIC_LOCK_TTL_MS;
    this.lockWaitMs = options.lockWaitMs ?? STAFF_TOPIC_LOCK_WAIT_MS;
  }

  /** The open topic of a conversation, or null. */
  async get(id: ConversationId): Promise<StaffTopicRecord | null> {
    return parseRecord(await this.kv.get(`${this.base}conv:${id}`));
  }

  /** Saves the conversation's open topic and its reverse mapping (both with a fresh TTL). */
  async put(id: ConversationId, record: StaffTopicRecord): Promise<void> {
    await this.kv.set(`${this.base}thread:${record.threadId}`, id, this.ttlMs);
    await this.kv.set(`${this.base}conv:${id}`, JSON.stringify(record), this.ttlMs);
  }

  /** Forgets the conversation's open topic; the topic itself still maps back (as ended). */
  async close(id: ConversationId): Promise<void> {
    await this.kv.delete(`${this.base}conv:${id}`);
  }

  /** Forgets a topic entirely (it was deleted). */
  async forgetThread(threadId: number): Promise<void> {
    await this.kv.delete(`${this.base}thread:${threadId}`);
  }

  /** Which conversation a topic belongs to; null for topics the bot did not make (or long gone). */
  async lookupThread(threadId: number): Promise<StaffThreadLookup | null> {
    const value = await this.kv.get(`${this.base}thread:${threadId}`);
    const parsed = value ? parseConversationId(value) : null;
    if (!value || !parsed) return null;
    const conversationId = value as ConversationId;
    const record = await this.get(conversationId);
    return { conversationId, record, open: record !== null && record.threadId === threadId };
  }

  /**
   * True the first time any instance marks `digest` (within {@link STAFF_EVENT_SEEN_TTL_MS}):
   * every instance receives every live event, and only one should copy it into the topic.
   */
  async firstToHandle(digest: string): Promise<boolean> {
    return this.kv.setIfAbsent(`${this.base}seen:${digest}`, '1', STAFF_EVENT_SEEN_TTL_MS);
  }

  /**
   * Runs `fn` holding the conversation's topic lock (shared by every instance). Waits up to
   * `lockWaitMs`, then throws {@link StaffTopicLockTimeoutError}. The lock expires by itself
   * after `lockTtlMs` if its holder dies.
   */
  async withLock<T>(id: ConversationId, fn: () => Promise<T>): Promise<T> {
    const key = `${this.base}lock:${id}`;
    const token = randomUUID();
    const deadline = Date.now() + this.lockWaitMs;
    while (!(await this.kv.setIfAbsent(key, token, this.lockTtlMs))) {
      if (Date.now() > deadline) throw new StaffTopicLockTimeoutError(id);
      await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    }
    try {
      return await fn();
    } finally {
      // Not atomic, but the lock only expires under us after lockTtlMs of one topic operation.
      if ((await this.kv.get(key).catch(() => null)) === token) await this.kv.delete(key).catch(() => undefined);
    }
  }
}

function parseRecord(value: string | null): StaffTopicRecord | null {
  if (!value) return null;
  try {
    const r = JSON.parse(value) as Partial<StaffTopicRecord>;
    if (typeof r.threadId !== 'number' || (r.status !== 'waiting' && r.status !== 'active')) return null;
    return { threadId: r.threadId, status: r.status, ...(typeof r.owner === 'string' ? { owner: r.owner } : {}) };
  } catch {
    return null;
  }
}
