/**
 * Ports about people: staff accounts and sessions, the audit log, and the analytics behind the
 * editors' reports. Re-exported by ports.ts, the one place the engine's ports are imported from.
 */
import type { ChannelName, ConversationId } from './types.ts';
import type { Decision } from './ports-search.ts';

// ── Staff and audit ─────────────────────────────────────────────────────────

/** What a staff account may do: `staff` answers hand-offs; `editor` also sees reports. */
export type StaffRole = 'staff' | 'editor';

/** One staff account. The password is kept only as a salted hash. */
export interface StaffAccount {
  /** Lower-case login name (also shown to citizens unless `displayName` is set). */
  readonly username: string;
  readonly role: StaffRole;
  /** The name citizens see ("Cán bộ {staff}…"); default: the username. */
  readonly displayName?: string;
  /** Self-describing hash, e.g. `scrypt$32768$8$3$<salt b64>$<hash b64>` (see http/staff-accounts.ts). */
  readonly passwordHash: string;
  readonly createdAtMs: number;
  /** When the password was last set: sessions created before it are refused. */
  readonly passwordChangedAtMs?: number;
}

/** A logged-in console session. */
export interface StaffSession {
  readonly username: string;
  readonly role: StaffRole;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
}

/**
 * Staff accounts, console sessions and failed-login counters (Redis: shared by every instance;
 * memory: one instance, for development). Session ids are opaque strings: the HTTP layer passes
 * a hash of the cookie token, so a copy of the store cannot be replayed as a cookie.
 */
export interface StaffDirectory {
  getAccount(username: string): Promise<StaffAccount | null>;
  /** Creates or replaces the account of `account.username`. */
  putAccount(account: StaffAccount): Promise<void>;
  /** Removes the account and ends its sessions; false when there was none. */
  removeAccount(username: string): Promise<boolean>;
  /** Ends every session of `username` (a password change); resolves how many there were. */
  endSessions(username: string): Promise<number>;
  /** Every account, by username. */
  listAccounts(): Promise<StaffAccount[]>;
  /** Stores a session under `sessionId`, gone after `ttlMs`. */
  createSession(sessionId: string, session: StaffSession, ttlMs: number): Promise<void>;
  /** The live session, or null when unknown or expired. */
  getSession(sessionId: string): Promise<StaffSession | null>;
  deleteSession(sessionId: string): Promise<void>;
  /**
   * Counts one failed login under `key` (e.g. ip + username) and resolves the failures within
   * the window, which starts at the first failure and lasts `windowMs`.
   */
  recordLoginFailure(key: string, windowMs: number): Promise<number>;
  /** Failures counted under `key` in the current window (0 when none). */
  loginFailures(key: string): Promise<number>;
  clearLoginFailures(key: string): Promise<void>;
}

/**
 * What staff did, for the audit log: `read` is a staff member opening a conversation's
 * transcript; `erase` is a citizen's "delete my data" (actor `citizen`, no conversation id).
 */
export type AuditAction =
  | 'login' | 'logout' | 'claim' | 'reply' | 'insert-guide' | 'release' | 'resolve' | 'erase' | 'read'
  // The console's history and case tools (notes, transfers, labels, reopening, searches and reads).
  | 'note' | 'transfer' | 'label' | 'reopen' | 'search' | 'view';

/** One line of the audit log. Never holds message text (citizens' words stay in the transcript). */
export interface AuditEntry {
  readonly atMs: number;
  /** Staff username. */
  readonly actor: string;
  readonly action: AuditAction;
  /** The conversation acted on; removed when the citizen erases their data (the channel stays). */
  readonly conversationId?: ConversationId;
  /** The channel of the conversation (kept when its id is removed). */
  readonly channel?: ChannelName;
  /** Short machine detail, e.g. the guide id inserted. */
  readonly detail?: string;
}

/**
 * Append-only log of staff actions, bounded in size (oldest lines dropped past the bound) and
 * in time (lines older than the retention are gone).
 */
export interface AuditLog {
  /** Appends a line (with a conversation id, its channel is recorded too). */
  append(entry: AuditEntry): Promise<void>;
  /** Up to `limit` entries within the retention, newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
  /**
   * Removes `conversationId` from every line that holds it (the citizen erased their data);
   * the lines stay, with their channel. Resolves how many lines changed.
   */
  forget(conversationId: ConversationId): Promise<number>;
}

// ── Analytics (editors' reports) ────────────────────────────────────────────

/**
 * One thing editors' reports count. Privacy first: no names, no platform user or chat ids,
 * no raw citizen text — only the normalised query with personal numbers masked.
 */
export type AnalyticsEvent =
  | {
      /** A citizen message the bot searched, and what it decided. */
      readonly kind: 'question';
      readonly atMs: number;
      readonly channel: ChannelName;
      readonly decision: Decision;
      /** The normalised, folded query, masked with `maskPii` (may be empty). */
      readonly query: string;
      /** Ids of the top guides considered, best first (at most 3). */
      readonly guides: readonly string[];
      /** 0..1, as the index said. */
      readonly confidence: number;
      /** Declined because it names a topic no guide covers (`not-covered` in intents.yaml). */
      readonly notCovered?: true;
    }
  | { readonly kind: 'feedback'; readonly atMs: number; readonly channel: ChannelName; readonly guideId: string; readonly helpful: boolean }
  | { readonly kind: 'handoff'; readonly atMs: number; readonly channel: ChannelName; readonly reason: string; readonly guideId?: string }
  | { readonly kind: 'rating'; readonly atMs: number; readonly channel: ChannelName; readonly score: number }
  | {
      /** A person took a handed-off conversation after the citizen waited `waitMs`. */
      readonly kind: 'claimed';
      readonly atMs: number;
      readonly channel: ChannelName;
      readonly waitMs: number;
    };

/**
 * Where analytics events are kept for the retention period (ANALYTICS_RETENTION_DAYS):
 * Redis for every instance, memory for one. Events older than the retention are gone.
 */
export interface AnalyticsStore {
  /** Appends events (any order, any age within the retention). */
  record(events: readonly AnalyticsEvent[]): Promise<void>;
  /** The kept events with `sinceMs ≤ atMs < untilMs`, oldest first. */
  range(sinceMs: number, untilMs: number): Promise<AnalyticsEvent[]>;
  /**
   * The same events as {@link AnalyticsStore.range}, handed to `onChunk` a chunk at a time (at
   * most `chunkSize`, default 5 000; day by day, not in strict time order), so a long period
   * never sits in memory at once. The next chunk is read once `onChunk` has settled.
   */
  scan(sinceMs: number, untilMs: number, onChunk: (events: AnalyticsEvent[]) => void | Promise<void>, chunkSize?: number): Promise<void>;
  /**
   * Replaces the `query` of every kept question with `fn(query)` where that differs (to purge
   * what was recorded before a masking rule existed); resolves how many changed. A question
   * recorded meanwhile is never lost.
   */
  rewriteQueries(fn: (query: string) => string): Promise<number>;
}
