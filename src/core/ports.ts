/**
 * Every port of the engine in one file. Implementations live in the outer rings
 * (stores/, channels/, search/, http/) and are handed to the engine by `main.ts`.
 */
import type {
  Button,
  ChannelName,
  ConversationId,
  ConversationState,
  RenderedMessage,
  TranscriptEntry,
} from './types.ts';
import type { IntentName } from './guide.ts';

// ── Search ──────────────────────────────────────────────────────────────────

/** What the bot decided to do with one citizen message. */
export type Decision = 'answer' | 'clarify' | 'fallback' | 'handoff' | 'greeting';

/** A guide and how well it matched (higher is better; scale is the index's own). */
export interface RankedGuide {
  readonly id: string;
  readonly score: number;
}

/** The index's answer for one query. */
export interface SearchResult {
  readonly decision: Decision;
  /** Up to 3 guides, best first; present for every decision, empty when nothing matched. */
  readonly guides: readonly RankedGuide[];
  /** 0..1: how sure the index is of `decision` (for answer: of guides[0]). */
  readonly confidence: number;
  /**
   * The intent recognised, when the message is not (only) a guide question. `not-covered` comes
   * only with a fallback: the question names a topic no guide covers. An `ask-*` intent with a
   * fallback and no guides: the message only asks about a part of a guide ("lệ phí bao nhiêu?").
   */
  readonly intent?: IntentName;
  /** The normalised, folded query (what was actually matched), for reports. */
  readonly normalized: string;
  /** The message was read as English (the dialogue may answer in English). */
  readonly english?: boolean;
}

/** A searchable index over one content snapshot. Pure and synchronous. */
export interface GuideIndex {
  /** Number of guides indexed. */
  readonly size: number;
  /** Ranks guides for a citizen's message and decides what to do. Never throws. */
  search(query: string, context?: SearchContext): SearchResult;
}

/** What the conversation knows that the message does not say. */
export interface SearchContext {
  /**
   * The app the guide the citizen has open is about ("VNeID"): a vague message that fits no
   * guide ("bị lỗi không vào được") may be about it.
   */
  readonly subject?: string;
}

// ── Channels ────────────────────────────────────────────────────────────────

/** What a chat app can show; the shared renderer adapts messages to it. */
export interface ChannelCapabilities {
  /** Longest text of one message, in UTF-16 code units. */
  readonly textLimit: number;
  /** Native option buttons? If false, options become a numbered text menu. */
  readonly optionButtons: boolean;
  /** Native link buttons? If false, links are written into the text. */
  readonly urlButtons: boolean;
  /** Most buttons one message may carry (extra ones fall back to the numbered menu). */
  readonly maxButtons: number;
  /** Longest button label. */
  readonly buttonLabelLimit: number;
}

/** One chat app, as the engine sees it: it can send rendered messages to a chat. */
export interface Channel {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /**
   * Sends one rendered message (already within the limits) to a platform chat.
   * Retries what is worth retrying; throws a `ChannelError` when the platform refuses
   * (`ChannelRejectedError`) or cannot be reached (`ChannelNetworkError`).
   */
  send(chatId: string, message: RenderedMessage): Promise<void>;
}

// ── State ───────────────────────────────────────────────────────────────────

/**
 * Hands a turn's final write (what `save` would write) to the store, to be done as the lock is
 * released, in the same round trip. Done only when the locked function resolves; the last
 * call wins.
 */
export type SaveOnRelease = (state: ConversationState, transcript?: readonly TranscriptEntry[]) => void;

/** Conversation state, transcript, de-duplication and per-conversation locking. */
export interface ConversationStore {
  /** The state of a conversation, or null when it has none (new, expired or erased). */
  get(id: ConversationId): Promise<ConversationState | null>;
  /**
   * Saves the state and refreshes the conversation's TTL. `transcript` lines, when given, are
   * appended as {@link ConversationStore.appendTranscript} would, in the same write (a whole
   * turn is stored in one round trip).
   */
  save(state: ConversationState, transcript?: readonly TranscriptEntry[]): Promise<void>;
  /** Appends to the bounded transcript (oldest lines dropped past the bound); refreshes TTL. */
  appendTranscript(id: ConversationId, entries: readonly TranscriptEntry[]): Promise<void>;
  /** The transcript, oldest first. */
  transcript(id: ConversationId): Promise<TranscriptEntry[]>;
  /** Erases everything stored for the conversation (state and transcript). */
  erase(id: ConversationId): Promise<void>;
  /**
   * Records that an inbound message id was seen. Resolves true the first time,
   * false when it was already seen within `ttlMs`.
   */
  markSeen(messageKey: string, ttlMs: number): Promise<boolean>;
  /**
   * Runs `fn` while holding the conversation's lock, so two messages of one conversation
   * (even on two instances) never interleave. `fn` receives the state as it was when the lock
   * was taken (what `get` would answer then; null when there is none), read in the same round
   * trip as the lock, and a {@link SaveOnRelease} to save the turn with the release (when that
   * write fails, the call rejects with the store's error after `fn` has run). Waits up to
   * `waitMs` for the lock, then throws `LockTimeoutError`.
   */
  withLock<T>(id: ConversationId, fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>, waitMs?: number): Promise<T>;
  /**
   * {@link ConversationStore.withLock} for a message that must be handled once: records
   * `messageKey` as seen for `ttlMs` (per conversation) and, the first time only, runs `fn`
   * under the lock. Resolves `{ first: false }` at once, without the lock, when the key was
   * already seen. Once checked, the key stays recorded even when the lock times out or `fn`
   * fails. (Redis: one round trip for the check, the lock and the state.)
   */
  withLockOnce<T>(
    id: ConversationId,
    messageKey: string,
    ttlMs: number,
    fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>,
    waitMs?: number,
  ): Promise<{ readonly first: true; readonly value: T } | { readonly first: false }>;
  /** True when the backing service answers (always true in memory). */
  ping(): Promise<boolean>;
}

// ── Hand-off ────────────────────────────────────────────────────────────────

/** One conversation waiting for, or being helped by, a person. */
export interface HandoffTicket {
  readonly id: ConversationId;
  readonly channel: ChannelName;
  readonly status: 'waiting' | 'active';
  /** When the citizen started waiting (kept when released back to the queue). */
  readonly waitingSinceMs: number;
  /** Staff username when active. */
  readonly owner?: string;
  readonly claimedAtMs?: number;
  readonly reason: string;
  readonly guideId?: string;
  readonly lastMessage?: string;
  readonly lastMessageAtMs?: number;
}

/** Result of trying to claim a ticket. */
export type ClaimResult =
  | { readonly ok: true; readonly ticket: HandoffTicket }
  | { readonly ok: false; readonly reason: 'taken' | 'missing'; readonly owner?: string };

/** The queue of conversations handed to people. Claims are atomic. */
export interface HandoffQueue {
  /** Adds (or keeps) the conversation in the queue; returns its 1-based place among waiting ones. */
  enqueue(ticket: Omit<HandoffTicket, 'status' | 'owner' | 'claimedAtMs'>): Promise<number>;
  /** 1-based place among waiting tickets, or null when not waiting. */
  position(id: ConversationId): Promise<number | null>;
  get(id: ConversationId): Promise<HandoffTicket | null>;
  /** All tickets: waiting ones oldest first, then active ones. */
  list(): Promise<HandoffTicket[]>;
  /** Atomically takes a waiting ticket for `staff`. Exactly one of two concurrent claims wins. */
  claim(id: ConversationId, staff: string, nowMs: number): Promise<ClaimResult>;
  /** Puts an active ticket back to waiting, at its old place. Only the owner may release. */
  release(id: ConversationId, staff: string): Promise<boolean>;
  /** Records the citizen's latest message on the ticket (for the queue view). */
  touch(id: ConversationId, lastMessage: string, atMs: number): Promise<void>;
  /** Removes the ticket (resolved, cancelled or erased). */
  remove(id: ConversationId): Promise<boolean>;
}

/** Something that happened that live views (the console) want to know at once. */
export interface LiveEvent {
  readonly type: 'queue' | 'message' | 'status';
  readonly conversationId: ConversationId;
  readonly entry?: TranscriptEntry;
  readonly atMs: number;
}

/** Publish/subscribe across every instance of the app (Redis pub/sub; in-process in memory). */
export interface EventBus {
  publish(event: LiveEvent): Promise<void>;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: LiveEvent) => void): Promise<() => Promise<void>>;
}

// ── Web chat outbox ─────────────────────────────────────────────────────────

/** One message as the web chat page receives it; `seq` orders a session's messages from 1. */
export interface WebOutboxItem {
  readonly seq: number;
  readonly text: string;
  readonly buttons: readonly Button[];
  readonly menuSeq: number;
  readonly atMs: number;
}

/** A web chat message before the outbox numbers it. */
export type WebOutboxDraft = Omit<WebOutboxItem, 'seq'>;

/** What a read of the outbox returns: the items after the asked seq, and the latest seq. */
export interface WebOutboxPage {
  readonly items: WebOutboxItem[];
  /** The session's latest seq (0 for an unknown session). */
  readonly cursor: number;
}

/**
 * The web chat's outbox: per browser session, the last messages of the bot and staff, numbered,
 * for the page to fetch (Redis: shared by every instance, so any instance answers any
 * long-poll; memory: one instance). A session's outbox lives as long as its conversation.
 */
export interface WebOutboxStore {
  /** Adds a message to the session's outbox (oldest dropped past the bound); resolves its seq. */
  append(sessionId: string, item: WebOutboxDraft): Promise<number>;
  /**
   * The kept messages with `seq > afterSeq`, oldest first, and the latest seq. When `afterSeq`
   * is past the latest seq, the numbering started again (the store lost the session: a restart
   * without persistence) and every kept message is returned: the page sees the cursor go back
   * and starts over from it, instead of waiting for numbers it has already seen.
   */
  read(sessionId: string, afterSeq: number): Promise<WebOutboxPage>;
  /** The latest seq of the session (0 when it has none). */
  cursor(sessionId: string): Promise<number>;
  /**
   * Drops the session's kept messages (the citizen erased the conversation); the seq goes on,
   * so an open page still shows what comes next.
   */
  clear(sessionId: string): Promise<void>;
  /**
   * Resolves once the session has a message with `seq > afterSeq` (appended through any
   * instance) or its latest seq is below `afterSeq` (numbering started again), after
   * `timeoutMs`, or when `signal` aborts, whichever is first. Never rejects;
   * callers read afterwards (a lost wake-up only delays a message until the timeout).
   */
  wait(sessionId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Ends every pending `wait` (later ones resolve at once); reads and appends may still work. Idempotent. */
  close(): Promise<void>;
}

// ── Time and logs ───────────────────────────────────────────────────────────

/** The current time (injectable so tests can move it). */
export interface Clock {
  nowMs(): number;
}

/** The logger port (pino's shape, subset). Never pass tokens or personal numbers. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

/** The system clock. */
export const systemClock: Clock = { nowMs: () => Date.now() };

/** A logger that drops everything (tests, CLI tools). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

// ── Inbound and small shared state ─────────────────────────────────────────

/** Whoever takes a parsed citizen message (the engine). Never throws for bad input. */
export interface InboundHandler {
  handleInbound(message: import('./types.ts').InboundMessage): Promise<void>;
}

/**
 * A small shared key-value store (Redis or memory) for things channels must keep across
 * instances: platform tokens, staff-topic ids, refresh locks. Values are strings.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  /** Sets a value (atomically), with an optional expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when absent; resolves true when this call set it (a lock or a first claim). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

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
  /** Self-describing hash, e.g. `scrypt$16384$8$1$<salt b64>$<hash b64>` (see http/staff-passwords.ts). */
  readonly passwordHash: string;
  readonly createdAtMs: number;
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

/** What staff did, for the audit log; `erase` is a citizen's "delete my data" (actor `citizen`). */
export type AuditAction = 'login' | 'logout' | 'claim' | 'reply' | 'insert-guide' | 'release' | 'resolve' | 'erase';

/** One line of the audit log. Never holds message text (citizens' words stay in the transcript). */
export interface AuditEntry {
  readonly atMs: number;
  /** Staff username. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly conversationId?: ConversationId;
  /** Short machine detail, e.g. the guide id inserted. */
  readonly detail?: string;
}

/** Append-only, bounded log of staff actions (oldest lines dropped past the bound). */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Up to `limit` entries, newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
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
}
