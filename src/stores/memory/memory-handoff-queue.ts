/**
 * The hand-off queue in process memory. Single-threaded JavaScript makes every operation
 * atomic; ordering matches the Redis queue (score, then id byte order, as a sorted set does).
 */
import type { ClaimResult, HandoffCounts, HandoffPage, HandoffQueue, HandoffTicket, SweptTicket } from '../../core/ports.ts';
import type { ConversationId } from '../../core/types.ts';
import { jsonCopy } from '../defaults.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Orders like a Redis sorted set: by score, ties by member bytes. */
function byScoreThenId(score: (t: HandoffTicket) => number) {
  return (a: HandoffTicket, b: HandoffTicket): number =>
    score(a) - score(b) || Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));
}

const waitingOrder = byScoreThenId((t) => t.waitingSinceMs);
const activeOrder = byScoreThenId((t) => t.claimedAtMs ?? 0);

/** In-memory {@link HandoffQueue}; one instance only, emptied by a restart. */
export class MemoryHandoffQueue implements HandoffQueue {
  readonly #tickets = new Map<ConversationId, Mutable<HandoffTicket>>();

  /**
   * Adds a waiting ticket, or keeps the existing one untouched. Resolves its 1-based place
   * among waiting tickets, or 0 when the existing ticket is already active (being helped).
   */
  async enqueue(ticket: Omit<HandoffTicket, 'status' | 'owner' | 'claimedAtMs'>): Promise<number> {
    const existing = this.#tickets.get(ticket.id);
    if (existing === undefined) {
      this.#tickets.set(ticket.id, { ...jsonCopy(ticket), status: 'waiting' });
    } else if (existing.status !== 'waiting') {
      return 0;
    }
    return (await this.position(ticket.id)) ?? 0;
  }

  async position(id: ConversationId): Promise<number | null> {
    const i = this.#sorted('waiting').findIndex((t) => t.id === id);
    return i < 0 ? null : i + 1;
  }

  async get(id: ConversationId): Promise<HandoffTicket | null> {
    const ticket = this.#tickets.get(id);
    return ticket === undefined ? null : jsonCopy(ticket);
  }

  async list(): Promise<HandoffTicket[]> {
    return [...this.#sorted('waiting'), ...this.#sorted('active')].map(jsonCopy);
  }

  /** Takes a waiting ticket for `staff`; `taken` (with the owner) when already active. */
  async claim(id: ConversationId, staff: string, nowMs: number): Promise<ClaimResult> {
    const ticket = this.#tickets.get(id);
    if (ticket === undefined) return { ok: false, reason: 'missing' };
    if (ticket.status !== 'waiting') {
      return ticket.owner === undefined
        ? { ok: false, reason: 'taken' }
        : { ok: false, reason: 'taken', owner: ticket.owner };
    }
    ticket.status = 'active';
    ticket.owner = staff;
    ticket.claimedAtMs = nowMs;
    return { ok: true, ticket: jsonCopy(ticket) };
  }

  async release(id: ConversationId, staff: string): Promise<boolean> {
    const ticket = this.#tickets.get(id);
    if (ticket === undefined || ticket.status !== 'active' || ticket.owner !== staff) return false;
    ticket.status = 'waiting';
    delete ticket.owner;
    delete ticket.claimedAtMs;
    return true;
  }

  async transfer(id: ConversationId, from: string, to: string, nowMs: number): Promise<boolean> {
    const ticket = this.#tickets.get(id);
    if (ticket === undefined || ticket.status !== 'active' || ticket.owner !== from) return false;
    ticket.owner = to;
    ticket.claimedAtMs = nowMs;
    return true;
  }

  async touch(id: ConversationId, lastMessage: string, atMs: number): Promise<void> {
    const ticket = this.#tickets.get(id);
    if (ticket === undefined) return;
    ticket.lastMessage = lastMessage;
    ticket.lastMessageAtMs = atMs;
  }

  async remove(id: ConversationId): Promise<boolean> {
    return this.#tickets.delete(id);
  }

  async ids(): Promise<ConversationId[]> {
    return [...this.#sorted('waiting'), ...this.#sorted('active')].map((t) => t.id);
  }

  async counts(): Promise<HandoffCounts> {
    const waiting = this.#sorted('waiting');
    return {
      waiting: waiting.length,
      active: this.#sorted('active').length,
      oldestWaitingSinceMs: waiting[0]?.waitingSinceMs ?? null,
      waitingSinceSumMs: waiting.reduce((sum, t) => sum + t.waitingSinceMs, 0),
    };
  }

  async page(status: HandoffTicket['status'], offset: number, limit: number): Promise<HandoffPage> {
    const all = this.#sorted(status);
    return { tickets: all.slice(offset, offset + Math.max(0, limit)).map((t) => jsonCopy(t)), total: all.length };
  }

  async sweep(nowMs: number, idleMs: number, limit = 500): Promise<SweptTicket[]> {
    const cutoff = nowMs - idleMs;
    const gone = [...this.#tickets.values()].filter((t) => Math.max(t.lastMessageAtMs ?? 0, t.waitingSinceMs, t.claimedAtMs ?? 0) <= cutoff).slice(0, limit);
    for (const t of gone) this.#tickets.delete(t.id);
    return gone.map((t) => ({ id: t.id, ...(t.caseId ? { caseId: t.caseId } : {}) }));
  }

  #sorted(status: HandoffTicket['status']): HandoffTicket[] {
    const tickets = [...this.#tickets.values()].filter((t) => t.status === status);
    return tickets.sort(status === 'waiting' ? waitingOrder : activeOrder);
  }
}
