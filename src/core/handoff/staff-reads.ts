/**
 * Staff reading a conversation's transcript: allowed only for conversations that are or were
 * handed off (a bot-only conversation is the citizen's and the bot's alone), and every read, or
 * refused read, is written to the audit log before anything is shown. Repeated reads of one
 * conversation by one person within {@link READ_AUDIT_COALESCE_MS} (the console reloads it on
 * every live event) make one line.
 */
import type { AuditLog, Clock, Logger } from '../ports.ts';
import type { ConversationId } from '../types.ts';
import type { DeskConversation, HandoffDesk } from './desk.ts';

/** Reads of one conversation by one person within this many ms share one audit line. */
export const READ_AUDIT_COALESCE_MS = 60_000;
/** Recent reads remembered for coalescing (the oldest forgotten past it). */
const RECENT_READS_MAX = 5_000;

/** What a read came to. */
export type StaffRead =
  | { readonly kind: 'ok'; readonly conversation: DeskConversation }
  /** Nothing is stored for the conversation. */
  | { readonly kind: 'missing' }
  /** The conversation was never handed off. */
  | { readonly kind: 'forbidden' };

/** What {@link StaffReads} needs. */
export interface StaffReadsDeps {
  readonly desk: Pick<HandoffDesk, 'open'>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The only way staff open a transcript. */
export class StaffReads {
  /** When each person last had a read of each conversation audited (`actor\0id` → ms). */
  readonly #recent = new Map<string, number>();

  constructor(private readonly deps: StaffReadsDeps) {}

  /**
   * The conversation for `actor` (a staff username), audited. Rejects when the audit line cannot
   * be written: no transcript is shown without its trace.
   */
  async read(id: ConversationId, actor: string): Promise<StaffRead> {
    const conversation = await this.deps.desk.open(id);
    if (conversation === null) return { kind: 'missing' };
    if (!conversation.handedOff) {
      await this.#audit(id, actor, 'refused');
      this.deps.logger.warn({ actor }, 'staff read of a conversation never handed off refused');
      return { kind: 'forbidden' };
    }
    await this.#audit(id, actor);
    return { kind: 'ok', conversation };
  }

  async #audit(id: ConversationId, actor: string, detail?: string): Promise<void> {
    const now = this.deps.clock.nowMs();
    const key = `${actor}\u0000${id}\u0000${detail ?? ''}`;
    const last = this.#recent.get(key);
    if (last !== undefined && now - last < READ_AUDIT_COALESCE_MS) return;
    await this.deps.audit.append({ atMs: now, actor, action: 'read', conversationId: id, ...(detail ? { detail } : {}) });
    this.#recent.delete(key);
    this.#recent.set(key, now);
    if (this.#recent.size > RECENT_READS_MAX) this.#recent.delete(this.#recent.keys().next().value!);
  }
}
