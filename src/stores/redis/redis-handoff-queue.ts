/**
 * The hand-off queue in Redis: survives restarts and is shared by every instance.
 *
 * Keys (after the client's prefix; the `{handoff}` hash tag keeps them on one slot so the
 * Lua scripts stay valid on a cluster):
 * - `handoff:{handoff}:waiting`      ZSET id → waitingSinceMs (oldest first)
 * - `handoff:{handoff}:active`       ZSET id → claimedAtMs
 * - `handoff:{handoff}:waiting-sum`  the sum of the waiting tickets' waitingSinceMs (for the mean wait)
 * - `handoff:{handoff}:ticket:<id>`  HASH of the ticket's fields (numbers as decimal strings);
 *                                    expires `ttlMs` after its last change (with its conversation)
 * The two sorted sets hold one id per ticket; `sweep` removes the ids of tickets whose citizen
 * left (no message for the conversation's lifetime), so they stay as long as the queue.
 */
import type { RedisClient } from './redis-client-type.ts';
import type { ClaimResult, HandoffCounts, HandoffPage, HandoffQueue, HandoffTicket, SweptTicket } from '../../core/ports.ts';
import type { ChannelName, ConversationId } from '../../core/types.ts';
import { redisCall, toStoreError } from './redis-call.ts';
import { CLAIM, COUNTS, ENQUEUE, RELEASE, REMOVE, TOUCH, TRANSFER } from './handoff-scripts.ts';

const WAITING = 'handoff:{handoff}:waiting';
const ACTIVE = 'handoff:{handoff}:active';
const SUM = 'handoff:{handoff}:waiting-sum';
const ticketKey = (id: string): string => `handoff:{handoff}:ticket:${id}`;

/** Options of {@link RedisHandoffQueue}. */
export interface RedisHandoffQueueOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: RedisClient;
  /** Lifetime of a ticket after its last change, ms (the conversation's). Default 30 days. */
  readonly ttlMs?: number;
}

type NewTicket = Omit<HandoffTicket, 'status' | 'owner' | 'claimedAtMs'>;

/** The optional fields a new ticket may carry, as HSET pairs. */
function newTicketFields(t: NewTicket): string[] {
  const fields = ['id', t.id, 'channel', t.channel, 'waitingSinceMs', String(t.waitingSinceMs), 'reason', t.reason];
  if (t.guideId !== undefined) fields.push('guideId', t.guideId);
  if (t.lastMessage !== undefined) fields.push('lastMessage', t.lastMessage);
  if (t.lastMessageAtMs !== undefined) fields.push('lastMessageAtMs', String(t.lastMessageAtMs));
  for (const k of ['caseId', 'displayName', 'title'] as const) if (t[k] !== undefined) fields.push(k, t[k]);
  return fields;
}

/** A ticket from its hash fields, or null when the hash is empty or damaged. */
function ticketFrom(fields: Record<string, string>): HandoffTicket | null {
  const { id, channel, status, waitingSinceMs, reason } = fields;
  if (id === undefined || channel === undefined || waitingSinceMs === undefined) return null;
  if (status !== 'waiting' && status !== 'active') return null;
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  return {
    id: id as ConversationId,
    channel: channel as ChannelName,
    status,
    waitingSinceMs: Number(waitingSinceMs),
    reason: reason ?? '',
    ...(fields.owner !== undefined && { owner: fields.owner }),
    ...(fields.claimedAtMs !== undefined && { claimedAtMs: num(fields.claimedAtMs) }),
    ...(fields.guideId !== undefined && { guideId: fields.guideId }),
    ...(fields.lastMessage !== undefined && { lastMessage: fields.lastMessage }),
    ...(fields.lastMessageAtMs !== undefined && { lastMessageAtMs: num(fields.lastMessageAtMs) }),
    ...(fields.caseId !== undefined && { caseId: fields.caseId }),
    ...(fields.displayName !== undefined && { displayName: fields.displayName }),
    ...(fields.title !== undefined && { title: fields.title }),
  };
}

/** A flat `[field, value, …]` reply as a record. */
function pairs(flat: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

/**
 * {@link HandoffQueue} on Redis. Claims and releases are Lua scripts, so exactly one of
 * concurrent claims wins even across instances. Fails with `StoreUnavailableError` while
 * Redis is unreachable.
 */
export class RedisHandoffQueue implements HandoffQueue {
  readonly #redis: RedisClient;
  readonly #ttl: string;

  constructor(options: RedisHandoffQueueOptions) {
    this.#redis = options.redis;
    this.#ttl = String(Math.max(1, Math.ceil(options.ttlMs ?? 30 * 86_400_000)));
  }

  #keys(id: string): string[] {
    return [ticketKey(id), WAITING, ACTIVE, SUM];
  }

  /**
   * Adds a waiting ticket, or keeps an existing one untouched (no duplicate, old place kept).
   * Resolves its 1-based place among waiting tickets, or 0 when it is already active.
   */
  async enqueue(ticket: NewTicket): Promise<number> {
    const args = [ticket.id, this.#ttl, String(ticket.waitingSinceMs), ...newTicketFields(ticket)];
    return Number(await ENQUEUE.run(this.#redis, 'handoff enqueue', this.#keys(ticket.id), args));
  }

  async position(id: ConversationId): Promise<number | null> {
    const rank = await redisCall('handoff position', () => this.#redis.zrank(WAITING, id));
    return rank === null ? null : Number(rank) + 1;
  }

  async get(id: ConversationId): Promise<HandoffTicket | null> {
    return ticketFrom(await redisCall('handoff get', () => this.#redis.hgetall(ticketKey(id))));
  }

  /** Waiting tickets oldest first, then active ones by claim time (not one atomic snapshot). */
  async list(): Promise<HandoffTicket[]> {
    const tickets = await this.#tickets(await this.ids());
    // A ticket claimed or released between the two reads keeps its first place but shows its
    // new status; sort by status so the view still reads "waiting, then active".
    return [...tickets.filter((t) => t.status === 'waiting'), ...tickets.filter((t) => t.status === 'active')];
  }

  /** Atomically takes a waiting ticket: `taken` (with owner) when active, `missing` when absent. */
  async claim(id: ConversationId, staff: string, nowMs: number): Promise<ClaimResult> {
    const reply = await CLAIM.run(this.#redis, 'handoff claim', this.#keys(id), [id, this.#ttl, staff, String(nowMs)]);
    const [outcome, detail] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (outcome === 'ok') {
      const ticket = ticketFrom(pairs(detail));
      if (ticket !== null) return { ok: true, ticket };
      throw toStoreError('handoff claim', new Error(`damaged ticket ${id}`));
    }
    if (outcome === 'taken') {
      const owner = typeof detail === 'string' && detail !== '' ? detail : undefined;
      return owner === undefined ? { ok: false, reason: 'taken' } : { ok: false, reason: 'taken', owner };
    }
    return { ok: false, reason: 'missing' };
  }

  async release(id: ConversationId, staff: string): Promise<boolean> {
    return Number(await RELEASE.run(this.#redis, 'handoff release', this.#keys(id), [id, this.#ttl, staff])) === 1;
  }

  /** Hands an active ticket from `from` to `to` in one Lua step. */
  async transfer(id: ConversationId, from: string, to: string, nowMs: number): Promise<boolean> {
    return Number(await TRANSFER.run(this.#redis, 'handoff transfer', this.#keys(id), [id, this.#ttl, from, to, String(nowMs)])) === 1;
  }

  /** Records the latest citizen message on an existing ticket; no-op when there is none. */
  async touch(id: ConversationId, lastMessage: string, atMs: number): Promise<void> {
    await TOUCH.run(this.#redis, 'handoff touch', this.#keys(id), [id, this.#ttl, lastMessage, String(atMs)]);
  }

  async remove(id: ConversationId): Promise<boolean> {
    return Number(await REMOVE.run(this.#redis, 'handoff remove', this.#keys(id), [id])) === 1;
  }

  async ids(): Promise<ConversationId[]> {
    const [waiting, active] = await Promise.all([
      redisCall('handoff ids', () => this.#redis.zrange(WAITING, '0', '-1')),
      redisCall('handoff ids', () => this.#redis.zrange(ACTIVE, '0', '-1')),
    ]);
    return [...waiting, ...active] as ConversationId[];
  }

  async counts(): Promise<HandoffCounts> {
    const [waiting, active, oldest, sum] = (await COUNTS.run(this.#redis, 'handoff counts', [WAITING, ACTIVE, SUM], [])) as [number, number, string | null, string];
    return { waiting: Number(waiting), active: Number(active), oldestWaitingSinceMs: oldest ? Number(oldest) : null, waitingSinceSumMs: Number(sum) };
  }

  /** One page of one status, in queue order; a ticket whose hash has gone is skipped (the sweep removes it). */
  async page(status: HandoffTicket['status'], offset: number, limit: number): Promise<HandoffPage> {
    const key = status === 'waiting' ? WAITING : ACTIVE;
    const [ids, total] = await Promise.all([
      redisCall('handoff page', () => this.#redis.zrange(key, String(offset), String(offset + Math.max(0, limit) - 1))),
      redisCall('handoff page', () => this.#redis.zcard(key)),
    ]);
    return { tickets: await this.#tickets(ids), total };
  }

  /**
   * Removes tickets whose citizen left: nothing from them (nor the hand-off itself) for `idleMs`
   * before `nowMs`, or whose hash expired with the conversation. At most `limit` a call.
   */
  async sweep(nowMs: number, idleMs: number, limit = 500): Promise<SweptTicket[]> {
    const cutoff = nowMs - idleMs;
    const removed: SweptTicket[] = [];
    for (const key of [WAITING, ACTIVE]) {
      const ids = await redisCall('handoff sweep', () => this.#redis.zrangebyscore(key, '-inf', cutoff, 'LIMIT', 0, limit));
      for (const id of ids) {
        const [caseId, ...seen] = await redisCall('handoff sweep', () => this.#redis.hmget(ticketKey(id), 'caseId', 'lastMessageAtMs', 'waitingSinceMs', 'claimedAtMs'));
        const lastSeenMs = Math.max(...seen.map((v) => Number(v ?? 0)));
        if (lastSeenMs > cutoff) continue;
        if (await this.remove(id as ConversationId)) removed.push({ id: id as ConversationId, ...(caseId ? { caseId } : {}) });
      }
    }
    return removed;
  }

  /** The tickets of `ids`, in that order (one pipeline; all on the {handoff} slot). */
  async #tickets(ids: readonly string[]): Promise<HandoffTicket[]> {
    if (ids.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.hgetall(ticketKey(id));
    const results = (await redisCall('handoff read', () => pipeline.exec())) ?? [];
    const tickets: HandoffTicket[] = [];
    for (const [err, fields] of results) {
      if (err) throw toStoreError('handoff read', err);
      const ticket = ticketFrom(fields as Record<string, string>);
      if (ticket !== null) tickets.push(ticket);
    }
    return tickets;
  }
}
