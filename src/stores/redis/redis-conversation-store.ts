/**
 * Conversation state, transcript, de-duplication and locks in Redis.
 *
 * Keys (after the client's prefix; the `{…}` hash tag keeps one conversation on one slot):
 * - `conv:{<id>}:state`       STRING, the state as JSON, PX = ttlMs (greetingTtlMs while `greetingOnly`)
 * - `conv:{<id>}:transcript`  LIST of JSON lines, oldest first, trimmed to transcriptMax, PX = as the state
 * - `conv:{<id>}:lock`        STRING, token `<store instance id>:<random>` of the lock holder, PX = lockTtlMs
 * - `seen:<messageKey>`       STRING "1", PX = the ttlMs given to markSeen
 * - `conv:{<id>}:seen:<messageKey>`  STRING, the token of the attempt that recorded it, PX = the ttlMs given to withLockOnce (same slot as the lock)
 *
 * A turn of the durable inbound log may come started (the offer took the lock and read the state:
 * QueuedTurn.start, with a token from `turnStarts`) and is ended with the queue's next in one
 * Lua call (turn-scripts.ts, FINISH).
 */
import type { RedisClient } from './redis-client-type.ts';
import { StoreUnavailableError } from '../../core/errors.ts';
import { silentLogger, type ConversationStore, type Logger, type QueuedTurn, type SaveOnRelease } from '../../core/ports.ts';
import type { ConversationId, ConversationState, TranscriptEntry } from '../../core/types.ts';
import { DEFAULT_CONVERSATION_TTL_MS, DEFAULT_LOCK_WAIT_MS, DEFAULT_TRANSCRIPT_MAX } from '../defaults.ts';
import { KeyedFifoLock } from '../keyed-fifo-lock.ts';
import { LuaScript, pxOf, redisCall, withTimeout } from './redis-call.ts';
import { RedisLock, type HeldLock } from './redis-lock.ts';
import { slowNotDown, type TimeoutTriage } from './slow-or-down.ts';
import { conversationKeys, inboundKeys, type TurnStarts } from './conversation-keys.ts';
import { FINISH, writeStateLua } from './turn-scripts.ts';
import { headOf } from './inbound-entries.ts';

export { conversationKeys } from './conversation-keys.ts';

/** The state and the transcript lines of a turn, both with the conversation's lifetime (SAVE's KEYS and ARGV). */
const WRITE_STATE = writeStateLua(5);

/**
 * A turn's write: the state (with its TTL), the new transcript lines (bounded), and the
 * transcript's TTL, in one step; with a third key, also the lock's release (compare-and-delete)
 * in the same step. KEYS: state, transcript[, lock]. ARGV: lock token ('' without a lock),
 * state JSON, px, transcript bound, then the lines. Returns 1 when the lock was released (or
 * there was none), 0 when it was no longer ours.
 */
const SAVE = new LuaScript(`
${WRITE_STATE}if not KEYS[3] then return 1 end
if redis.call('GET', KEYS[3]) == ARGV[1] then
  return redis.call('DEL', KEYS[3])
end
return 0`);

/**
 * SAVE with a lock, again, after its first run timed out under local lag (it most likely ran:
 * ioredis does not withdraw a queued command). Writes only while the lock is still ours, so
 * when the first run did happen (and released it) this one changes nothing; the transcript
 * lines are never pushed twice. Same KEYS and ARGV as SAVE with a lock; returns 1 or 0.
 */
const SAVE_IF_HELD = new LuaScript(`
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
${WRITE_STATE}return redis.call('DEL', KEYS[3])`);

/**
 * Appends transcript lines and refreshes both keys' lifetime: the greeting lifetime while the
 * stored state is `greetingOnly`. KEYS: state, transcript. ARGV: px, greeting px, bound, lines.
 */
const APPEND = new LuaScript(`
local px = ARGV[1]
local state = redis.call('GET', KEYS[1])
if state and string.find(state, '"greetingOnly":true', 1, true) then px = ARGV[2] end
redis.call('RPUSH', KEYS[2], unpack(ARGV, 4))
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('PEXPIRE', KEYS[2], px)
redis.call('PEXPIRE', KEYS[1], px)
return 1`);

/** Options of {@link RedisConversationStore}; durations in ms. */
export interface RedisConversationStoreOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: RedisClient;
  /** Idle lifetime of state and transcript, refreshed together on save/append. Default 30 days. */
  readonly ttlMs?: number;
  /** Lifetime of a conversation whose state is `greetingOnly`. Default: `ttlMs`. */
  readonly greetingTtlMs?: number;
  /** Transcript lines kept. Default 50. */
  readonly transcriptMax?: number;
  /** Default wait of `withLock`. Default 10 000. */
  readonly lockWaitMs?: number;
  /** Lifetime of the Redis lock, extended every third of it while `fn` runs. Default 10 000 (DEFAULT_LOCK_TTL_MS). */
  readonly lockTtlMs?: number;
  /** `ping()` answers false after this long. Default 1 000. */
  readonly pingTimeoutMs?: number;
  readonly logger?: Logger;
  /**
   * Tells a time-out this process caused (its event loop was late) from an outage on the turn
   * path: the lock's first attempt and the turn's final save are then retried (idempotently)
   * instead of failing as if Redis were down. Without it every time-out counts as an outage.
   */
  readonly triage?: TimeoutTriage;
}


/**
 * {@link ConversationStore} on Redis. Every call fails fast with `StoreUnavailableError`
 * while Redis is unreachable (except `ping`, which answers false).
 */
export class RedisConversationStore implements ConversationStore {
  readonly #redis: RedisClient;
  readonly #ttlMs: number;
  readonly #greetingTtlMs: number;
  readonly #transcriptMax: number;
  readonly #lockWaitMs: number;
  readonly #pingTimeoutMs: number;
  readonly #logger: Logger;
  readonly #redisLock: RedisLock;
  readonly #localLock = new KeyedFifoLock();
  readonly #triage: TimeoutTriage | undefined;
  /** Lock tokens of turns the inbound log started, while they are live (see {@link TurnStarts}), by lock key. */
  readonly #started = new Map<string, Set<string>>();
  /** For the inbound log (RedisInboundLogOptions.turnStart). */
  readonly turnStarts: TurnStarts;

  constructor(options: RedisConversationStoreOptions) {
    this.#redis = options.redis;
    this.#ttlMs = options.ttlMs ?? DEFAULT_CONVERSATION_TTL_MS;
    this.#greetingTtlMs = Math.min(this.#ttlMs, options.greetingTtlMs ?? this.#ttlMs);
    this.#transcriptMax = Math.max(1, options.transcriptMax ?? DEFAULT_TRANSCRIPT_MAX);
    this.#lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 1_000;
    this.#logger = (options.logger ?? silentLogger).child({ component: 'conversation-store' });
    this.#triage = options.triage;
    this.#redisLock = new RedisLock(this.#redis, { ttlMs: options.lockTtlMs, triage: options.triage, live: (key) => [...(this.#started.get(key) ?? [])] });
    const started = this.#started;
    const lock = this.#redisLock;
    this.turnStarts = {
      lockTtlMs: lock.ttlMs,
      begin(id) {
        const key = conversationKeys(id).lock;
        const token = lock.newToken();
        started.set(key, (started.get(key) ?? new Set()).add(token));
        return token;
      },
      end(id, token) {
        const key = conversationKeys(id).lock;
        const tokens = started.get(key);
        if (tokens?.delete(token) && tokens.size === 0) started.delete(key);
      },
    };
  }

  async get(id: ConversationId): Promise<ConversationState | null> {
    const json = await redisCall('get state', () => this.#redis.get(conversationKeys(id).state));
    return this.#parseState(id, json);
  }

  /** One Lua call (it joins the client's auto-pipeline, where a MULTI would take its own write). */
  async save(state: ConversationState, transcript: readonly TranscriptEntry[] = []): Promise<void> {
    await this.#save(state, transcript);
  }

  /** SAVE, and with `lock` the release of that lock too; resolves whether the lock was ours. */
  async #save(state: ConversationState, transcript: readonly TranscriptEntry[], lock?: { key: string; token: string }, again = false): Promise<boolean> {
    const keys = conversationKeys(state.id);
    const ttlMs = state.greetingOnly ? this.#greetingTtlMs : this.#ttlMs;
    const args: (string | number)[] = [lock?.token ?? '', JSON.stringify(state), pxOf(ttlMs), this.#transcriptMax];
    for (const entry of transcript) args.push(JSON.stringify(entry));
    if (!lock) return (await SAVE.run(this.#redis, 'save state', [keys.state, keys.transcript], args)) === 1;
    const scriptKeys = [keys.state, keys.transcript, lock.key];
    const startedMs = Date.now();
    if (!again) {
      try {
        return (await SAVE.run(this.#redis, 'save state and unlock', scriptKeys, args)) === 1;
      } catch (err) {
        if (!slowNotDown(this.#triage, this.#redis, err, startedMs, 'save')) throw err;
      }
    }
    // Queued behind the first run on the same connection: a no-op when that one happened.
    for (let attempt = 1; ; attempt++) {
      const retryStartedMs = Date.now();
      try {
        await SAVE_IF_HELD.run(this.#redis, 'save state and unlock (again)', scriptKeys, args);
        return true;
      } catch (err) {
        if (attempt >= 3 || !slowNotDown(this.#triage, this.#redis, err, retryStartedMs, 'save')) throw err;
      }
    }
  }

  /** Releases the lock; a failure or a lock no longer ours is logged (it expires by itself). */
  async #release(id: ConversationId, key: string, token: string): Promise<void> {
    await this.#redisLock.release(key, token).then(
      (released) => {
        if (!released) this.#logger.warn({ conversationId: id }, 'lock had expired before release');
      },
      (err: unknown) => this.#logger.warn({ err, conversationId: id }, 'lock release failed; it will expire'),
    );
  }

  async appendTranscript(id: ConversationId, entries: readonly TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const keys = conversationKeys(id);
    const args = [pxOf(this.#ttlMs), pxOf(this.#greetingTtlMs), this.#transcriptMax, ...entries.map((e) => JSON.stringify(e))];
    await APPEND.run(this.#redis, 'append transcript', [keys.state, keys.transcript], args);
  }

  async transcript(id: ConversationId): Promise<TranscriptEntry[]> {
    const lines = await redisCall('read transcript', () =>
      this.#redis.lrange(conversationKeys(id).transcript, 0, -1),
    );
    const entries: TranscriptEntry[] = [];
    for (const line of lines) {
      try {
        entries.push(JSON.parse(line) as TranscriptEntry);
      } catch {
        this.#logger.warn({ conversationId: id }, 'unreadable transcript line skipped');
      }
    }
    return entries;
  }

  async erase(id: ConversationId): Promise<void> {
    const keys = conversationKeys(id);
    await redisCall('erase', () => this.#redis.del(keys.state, keys.transcript));
  }

  async markSeen(messageKey: string, ttlMs: number): Promise<boolean> {
    const ok = await redisCall('mark seen', () =>
      this.#redis.set(`seen:${messageKey}`, '1', 'PX', pxOf(ttlMs), 'NX'),
    );
    return ok === 'OK';
  }

  /**
   * Runs `fn` alone for `id` across every instance on this Redis. Callers on this instance
   * queue in call order (in-process FIFO), then take the Redis lock (SET NX PX, retried with
   * jittered pauses; the state is read in the same Lua call and handed to `fn`). `waitMs`
   * bounds both waits together: `LockTimeoutError` after it. `StoreUnavailableError` at once
   * when Redis is down. The lock is extended while `fn` runs and released with
   * compare-and-delete; a failed release is logged (the lock then expires). A lock left in
   * Redis by an earlier turn of this store (release lost in an outage, Redis restarted with
   * persistence) is taken over at once: the local FIFO proves that turn is over. Another
   * instance's stale lock expires after `lockTtlMs`.
   */
  async withLock<T>(id: ConversationId, fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>, waitMs = this.#lockWaitMs): Promise<T> {
    const outcome = await this.#locked(id, undefined, fn, waitMs);
    return (outcome as { value: T }).value;
  }

  /**
   * As {@link RedisConversationStore.withLock}, with the message's seen key (under the
   * conversation's hash tag) recorded by the same Lua call that takes the lock: one round trip
   * for de-duplication, lock and state.
   */
  async withLockOnce<T>(
    id: ConversationId,
    messageKey: string,
    ttlMs: number,
    fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>,
    waitMs = this.#lockWaitMs,
    turn?: QueuedTurn,
  ): Promise<{ readonly first: true; readonly value: T } | { readonly first: false }> {
    const start = turn?.start;
    if (turn && start) {
      // Started by the offer (inbound-scripts.ts, OFFER): the seen key is recorded and the lock
      // is ours. Its token is live (turnStarts) until the turn is over, so this store never takes
      // it over as stale: the local FIFO is not needed (and waiting in it could deadlock with a
      // local caller waiting for this lock).
      turn.start = undefined;
      try {
        if (this.#redis.status !== 'ready') throw new StoreUnavailableError('redis lock failed: not connected', { reason: 'down' });
        return await this.#run(id, { token: start.lock, value: start.state, tookOverStale: false }, fn, turn);
      } finally {
        this.turnStarts.end(id, start.lock);
      }
    }
    return this.#locked(id, { key: conversationKeys(id).seen(messageKey), ttlMs }, fn, waitMs, turn);
  }

  async #locked<T>(
    id: ConversationId,
    seen: { readonly key: string; readonly ttlMs: number } | undefined,
    fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>,
    waitMs: number,
    turn?: QueuedTurn,
  ): Promise<{ readonly first: true; readonly value: T } | { readonly first: false }> {
    // Fail fast while Redis is away (as every other call does), not after queueing behind the turn in progress.
    if (this.#redis.status !== 'ready') throw new StoreUnavailableError('redis lock failed: not connected', { reason: 'down' });
    const deadlineMs = Date.now() + waitMs;
    const releaseLocal = await this.#localLock.acquire(id, waitMs);
    try {
      const keys = conversationKeys(id);
      const held = seen
        ? await this.#redisLock.acquireOnceAndRead(seen.key, seen.ttlMs, keys.lock, keys.state, deadlineMs, id)
        : await this.#redisLock.acquireAndRead(keys.lock, keys.state, deadlineMs, id);
      if (held === null) return { first: false };
      if (held.tookOverStale) this.#logger.warn({ conversationId: id }, 'stale conversation lock of this instance taken over (its turn ended without releasing it)');
      return await this.#run(id, held, fn, turn);
    } finally {
      releaseLocal();
    }
  }

  /** Runs `fn` under the lock `held`, then saves (when asked) and releases, with the queue's next when `turn` is given. */
  async #run<T>(id: ConversationId, held: HeldLock, fn: (state: ConversationState | null, saveOnRelease: SaveOnRelease) => Promise<T>, turn?: QueuedTurn): Promise<{ readonly first: true; readonly value: T }> {
    const key = conversationKeys(id).lock;
    const { token } = held;
    const keeper = this.#keepLock(id, key, token);
    let final: { state: ConversationState; transcript: readonly TranscriptEntry[] } | undefined;
    let result: T;
    try {
      result = await fn(this.#parseState(id, held.value), (state, transcript = []) => {
        final = { state, transcript };
      });
    } catch (err) {
      clearInterval(keeper);
      await this.#release(id, key, token);
      throw err;
    }
    clearInterval(keeper);
    if (turn) await this.#finish(id, { key, token }, final, turn);
    else if (final === undefined) await this.#release(id, key, token);
    else {
      // The turn's write and the release in one round trip. When it fails, the lock expires
      // (or is taken over by this instance's next turn) and the caller hears the error.
      if (!(await this.#save(final.state, final.transcript, { key, token }))) this.#logger.warn({ conversationId: id }, 'lock had expired before release');
    }
    return { first: true, value: result };
  }

  /**
   * A queued turn's end in one step (FINISH): its write when there is one, the release, and the
   * queue's next, which it sets on `turn`. When it times out under local lag (it most likely
   * ran), the write is made again only while the lock is still ours (SAVE_IF_HELD), the lock
   * released, and `turn.next` left unset: the log moves the queue on (InboundLog.next). Other
   * failures are thrown (logged when there was nothing to write, as a failed release), `turn.next`
   * unset.
   */
  async #finish(id: ConversationId, lock: { key: string; token: string }, final: { state: ConversationState; transcript: readonly TranscriptEntry[] } | undefined, turn: QueuedTurn): Promise<void> {
    const k = inboundKeys(id);
    const keys = conversationKeys(id);
    const ttlMs = final?.state.greetingOnly ? this.#greetingTtlMs : this.#ttlMs;
    const args: (string | number)[] = [lock.token, final ? JSON.stringify(final.state) : '', pxOf(ttlMs), this.#transcriptMax, turn.entry.message.id, turn.lease, pxOf(turn.leaseTtlMs)];
    for (const entry of final?.transcript ?? []) args.push(JSON.stringify(entry));
    const startedMs = Date.now();
    let reply: unknown[];
    try {
      reply = (await FINISH.run(this.#redis, 'save state, unlock and next', [keys.state, keys.transcript, lock.key, k.queue, k.messages, k.lease], args)) as unknown[];
    } catch (err) {
      const slow = slowNotDown(this.#triage, this.#redis, err, startedMs, 'save');
      // Nothing to write: as a failed release, logged (the lock expires).
      if (final === undefined && !slow) this.#logger.warn({ err, conversationId: id }, 'lock release failed; it will expire');
      else if (final === undefined) await this.#release(id, lock.key, lock.token);
      else if (!slow) throw err;
      else await this.#save(final.state, final.transcript, lock, true);
      return;
    }
    if (reply[0] !== 1) this.#logger.warn({ conversationId: id }, 'lock had expired before release');
    if (reply[1] === 'lost') this.#logger.warn({}, 'conversation lease lost while draining; another instance goes on');
    turn.next = reply[1] === 'next' ? headOf(reply, 1) : null;
  }

  /** True when Redis answers PING within `pingTimeoutMs`. Never throws, never hangs. */
  async ping(): Promise<boolean> {
    if (this.#redis.status !== 'ready') return false;
    try {
      return (await withTimeout(this.#redis.ping(), this.#pingTimeoutMs, 'ping timed out')) === 'PONG';
    } catch {
      return false;
    }
  }

  /** The stored JSON as a state; unreadable JSON is logged and dropped (null), as if none. */
  #parseState(id: ConversationId, json: string | null): ConversationState | null {
    if (json === null) return null;
    try {
      return JSON.parse(json) as ConversationState;
    } catch (err) {
      this.#logger.error({ err, conversationId: id }, 'unreadable conversation state dropped');
      return null;
    }
  }

  #keepLock(id: ConversationId, key: string, token: string): NodeJS.Timeout {
    const timer = setInterval(() => {
      this.#redisLock.extend(key, token).then(
        (kept) => {
          if (!kept) this.#logger.error({ conversationId: id }, 'conversation lock lost while held');
        },
        (err: unknown) => this.#logger.warn({ err, conversationId: id }, 'lock extend failed'),
      );
    }, Math.max(10, Math.floor(this.#redisLock.ttlMs / 3)));
    timer.unref();
    return timer;
  }
}
