/**
 * Hand-off tickets expire with their conversation. Every `everyMs` one instance at a time (a
 * short lease in the shared key-value store) removes the tickets whose citizen left — nothing
 * from them for the conversation's lifetime, so their conversation is forgotten too — closes
 * their case in staff's history as cancelled by the system, and tells the consoles.
 */
import type { Clock, ConversationHistory, EventBus, HandoffQueue, KeyValueStore, Logger } from '../ports.ts';

/** The lease key: one sweeping instance at a time. */
const LEASE_KEY = 'handoff:sweep';

/** What the sweep needs. */
export interface TicketSweepDeps {
  readonly queue: HandoffQueue;
  readonly history?: ConversationHistory;
  readonly events: EventBus;
  readonly kv: KeyValueStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a citizen may stay silent before their ticket goes: the conversation's lifetime, ms. */
  readonly idleMs: number;
  /** How often to sweep, ms. Default 10 minutes. */
  readonly everyMs?: number;
}

/** The periodic sweep of tickets whose citizen left. */
export class TicketSweep {
  readonly #d: TicketSweepDeps;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: TicketSweepDeps) {
    this.#d = deps;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    void this.run();
    this.#timer = setInterval(() => void this.run(), this.#d.everyMs ?? 600_000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One sweep (skipped while another instance sweeps); resolves how many tickets went. Never rejects. */
  async run(): Promise<number> {
    try {
      if (!(await this.#d.kv.setIfAbsent(LEASE_KEY, '1', Math.max(1_000, (this.#d.everyMs ?? 600_000) - 1_000)))) return 0;
      let total = 0;
      for (;;) {
        const now = this.#d.clock.nowMs();
        const gone = await this.#d.queue.sweep(now, this.#d.idleMs, 500);
        for (const t of gone) {
          if (t.caseId) {
            await this.#d.history?.record(t.caseId, [], { status: 'cancelled', owner: null, closedAtMs: now, closedBy: 'system' }).catch(() => undefined);
          }
          await this.#d.events.publish({ type: 'queue', conversationId: t.id, atMs: now });
        }
        total += gone.length;
        if (gone.length < 500) break;
      }
      if (total > 0) this.#d.logger.info({ tickets: total }, 'hand-off tickets of citizens who left closed');
      return total;
    } catch (err) {
      this.#d.logger.warn({ err: (err as Error).message }, 'hand-off ticket sweep failed; tried again later');
      return 0;
    }
  }
}
