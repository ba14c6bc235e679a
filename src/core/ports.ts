/**
 * The engine's ports, imported from this one module: channels, state, hand-off, the web outbox,
 * time and logs here; search (ports-search.ts) and people – staff, audit, analytics
 * (ports-people.ts) – re-exported. Implementations live in the outer rings (stores/, channels/,
 * search/, http/) and are handed to the engine by `main.ts`.
 */
import type {
  Button,
  ChannelName,
  ConversationId,
  ConversationState,
  Lang,
  RenderedMessage,
  TranscriptEntry,
} from './types.ts';
import type { AcceptOptions, QueuedTurn } from './ports-inbound.ts';

// ── Channels ────────────────────────────────────────────────────────────────

/** What a chat app can show; the shared renderer adapts messages to it. */
export interface ChannelCapabilities {
  /** Longest text of one message, in UTF-16 code units. */
  readonly textLimit: number;
  /** Native option buttons? If false, options become a numbered text menu. */
  readonly optionButtons: boolean;
  /**
   * Number the options in the text as well as showing them as buttons (for apps where some
   * clients may not show the buttons, e.g. Zalo PC). Default false.
   */
  readonly optionsAlsoInText?: boolean;
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
   * fails. (Redis: one round trip for the check, the lock and the state.) `turn`: the message
   * came from the durable inbound log (see {@link QueuedTurn}; a store may ignore it).
   */
  withLockOnce<T>(
    id: ConversationId,
    messageKey: string,
    ttlMs: number,
    fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>,
    waitMs?: number,
    turn?: QueuedTurn,
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
  /** The hand-off's case in the history (see ConversationHistory). */
  readonly caseId?: string;
  /** The name the platform shows for the citizen, when it gives one. */
  readonly displayName?: string;
  /** The citizen's first question, personal numbers masked. */
  readonly title?: string;
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
  /**
   * Hands an active ticket from its owner `from` to `to` (a new claim time, the waiting time
   * kept). Atomic; false when the ticket is not active or `from` does not own it.
   */
  transfer(id: ConversationId, from: string, to: string, nowMs: number): Promise<boolean>;
  /** Records the citizen's latest message on the ticket (for the queue view). */
  touch(id: ConversationId, lastMessage: string, atMs: number): Promise<void>;
  /** Removes the ticket (resolved, cancelled or erased). */
  remove(id: ConversationId): Promise<boolean>;
  /** The ids of the waiting tickets (oldest first), then of the active ones: who is with staff, without the tickets. */
  ids(): Promise<ConversationId[]>;
  /** The queue's counts, kept as it changes (never a read of the whole queue). */
  counts(): Promise<HandoffCounts>;
  /** One page of the tickets of one status, in queue order, and how many have that status. */
  page(status: HandoffTicket['status'], offset: number, limit: number): Promise<HandoffPage>;
  /**
   * Removes the tickets whose citizen left: no message from them, nor the hand-off itself, for
   * `idleMs` before `nowMs` (their conversation is forgotten by then). Resolves them, with their
   * case when the ticket still named one (at most `limit`; call again for more).
   */
  sweep(nowMs: number, idleMs: number, limit?: number): Promise<SweptTicket[]>;
}

/** How many tickets wait and are active, and what the waiting times are made of. */
export interface HandoffCounts {
  readonly waiting: number;
  readonly active: number;
  /** When the longest-waiting citizen started waiting, epoch ms; null when nobody waits. */
  readonly oldestWaitingSinceMs: number | null;
  /** The sum of every waiting ticket's waitingSinceMs (mean wait = now − sum / waiting). */
  readonly waitingSinceSumMs: number;
}

/** A ticket the sweep removed: its conversation, and its case when known. */
export interface SweptTicket {
  readonly id: ConversationId;
  readonly caseId?: string;
}

/** One page of tickets, and how many tickets have that status in all. */
export interface HandoffPage {
  readonly tickets: HandoffTicket[];
  readonly total: number;
}

/** Something that happened that live views (the console) want to know at once. */
export interface LiveEvent {
  readonly type: 'queue' | 'message' | 'status';
  readonly conversationId: ConversationId;
  readonly entry?: TranscriptEntry;
  readonly atMs: number;
  /** The staff member whose action it was (their console does not alert them about it). */
  readonly by?: string;
  /** A conversation handed to this staff member by a colleague (their console alerts them). */
  readonly assignedTo?: string;
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
  /** Written by a person (a staff reply): the page shows it apart from the bot's messages. */
  readonly fromStaff?: boolean;
  /** The language the message is written in, when known (the page's own labels follow it). */
  readonly lang?: Lang;
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
 * long-poll; memory: one instance). A session's outbox lives as long as its conversation
 * (a few hours while the conversation never got past the greeting).
 */
export interface WebOutboxStore {
  /**
   * Adds a message to the session's outbox (oldest dropped past the bound); resolves its seq.
   * The outbox is then kept the store's lifetime from now; with `keepAtLeastMs` (a conversation
   * that never got past the greeting), at least that long, a longer remaining lifetime untouched.
   */
  append(sessionId: string, item: WebOutboxDraft, keepAtLeastMs?: number): Promise<number>;
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
  /** Handles the message here and now; resolves when its turn is over. `turn`: it came from the durable inbound log. */
  handleInbound(message: import('./types.ts').InboundMessage, turn?: QueuedTurn): Promise<void>;
  /**
   * For webhooks, which must not answer 200 for a message that could still be lost: resolves
   * once the message is safe — written to the durable inbound log (any instance then handles
   * it, in the conversation's order), or, when the log cannot be written, being handled by this
   * process (as in an outage) — and handles it in the background. Never rejects. Absent where
   * there is no log (in-memory stores): see `acceptInbound`.
   */
  accept?(message: import('./types.ts').InboundMessage, options?: AcceptOptions): Promise<void>;
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

/** One sliding window a {@link RateBudget} counts in. */
export interface BudgetWindow {
  /** What is counted, e.g. `web-new:ip:<hash>:minute`. */
  readonly key: string;
  /** Most takes within any `windowMs`. */
  readonly limit: number;
  readonly windowMs: number;
}

/** What {@link RateBudget.take} answers: taken, or refused with the window that was full. */
export type BudgetDecision = { readonly ok: true } | { readonly ok: false; readonly key: string; readonly retryAfterMs: number };

/**
 * Sliding-window budgets shared by every instance (Redis) or kept by one (memory): at most
 * `limit` takes within any `windowMs` of a window's key. Used for new web chat conversations.
 */
export interface RateBudget {
  /**
   * Takes one from every window, or from none when one of them is full (then `retryAfterMs`
   * says when that window has room again). Rejects with `StoreUnavailableError` when the
   * backing store is down.
   */
  take(windows: readonly BudgetWindow[], nowMs: number): Promise<BudgetDecision>;
}

export * from './ports-history.ts';
export * from './ports-inbound.ts';
export * from './ports-outbox.ts';
export * from './ports-people.ts';
export * from './ports-search.ts';
