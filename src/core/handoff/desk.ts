/**
 * The staff desk: what a person does with a handed-off conversation (claim, reply, insert a
 * guide, release, resolve). Channel-agnostic and framework-free: the web console's API and the
 * Telegram staff group both call these use cases, which talk to the citizen through the engine.
 *
 * Every action runs under the conversation's lock, so it never interleaves with the citizen's
 * own messages (a "hủy" and a claim cannot cross), and the queue stays the single truth of who
 * owns a conversation.
 */
import type { ContentSnapshot } from '../content.ts';
import { ratingView, localGuide, say, type Reply, type ViewContext } from '../dialogue/views.ts';
import { AppError, HandoffStateError, NotFoundError } from '../errors.ts';
import type { AuditAction, AuditLog, CaseChange, Clock, ConversationHistory, ConversationStore, EventBus, HandoffQueue, HandoffTicket, Logger } from '../ports.ts';
import type { ConversationId, ConversationState, Lang, TranscriptEntry } from '../types.ts';
import { logCase } from './case-log.ts';

/** Longest staff reply accepted, in UTF-16 code units (channels split long texts themselves). */
export const STAFF_TEXT_LIMIT = 4000;

/** Who acts: a username, or a username with the name citizens should see. */
export type StaffRef = string | { readonly username: string; readonly displayName?: string };

/** What the desk needs from the engine (the `Engine` class satisfies it). */
export interface ConversationDriver {
  /** Runs `fn` on the state under the conversation lock and saves it; null when there is no state. */
  updateConversation<T>(id: ConversationId, fn: (state: ConversationState) => Promise<T>): Promise<T | null>;
  /** Renders, sends and records replies outside a citizen turn. */
  deliver(
    state: ConversationState,
    replies: readonly Reply[],
    opts?: { record?: boolean; keepMenu?: boolean; role?: 'bot' | 'staff' | 'system'; by?: string },
  ): Promise<void>;
  view(state: Pick<ConversationState, 'lang'>): ViewContext;
}

/** Everything the desk uses. */
export interface DeskDeps {
  readonly driver: ConversationDriver;
  readonly queue: HandoffQueue;
  readonly store: ConversationStore;
  readonly events: EventBus;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly snapshot: () => ContentSnapshot;
  readonly logger: Logger;
  /** Where hand-offs are kept for staff's history (none: not kept). */
  readonly history?: ConversationHistory;
}

/** A queue entry as staff see it: the ticket plus the title of the guide the bot was on. */
export interface DeskTicket extends HandoffTicket {
  readonly guideTitle?: string;
}

/** One conversation as the console opens it. */
export interface DeskConversation {
  /** Null when the conversation is no longer in the queue (resolved or cancelled). */
  readonly ticket: DeskTicket | null;
  readonly transcript: TranscriptEntry[];
  readonly lang: Lang;
  readonly mode: ConversationState['mode'];
  /** The platform refused to deliver the last message (blocked, unfollowed). */
  readonly unreachable: boolean;
  /** The conversation is or was handed off: only then may staff read it ({@link StaffReads}). */
  readonly handedOff: boolean;
  /** The guide the citizen has open and the step they saw last (what they already read). */
  readonly guideId?: string;
  readonly step?: number;
  /** The case of the current or last hand-off. */
  readonly caseId?: string;
}

/** A guide staff may insert: id, title, category and how many steps it has. */
export interface DeskGuide {
  readonly id: string;
  readonly title: string;
  readonly category: string;
  readonly steps: number;
}

/** The name citizens see for a staff member. */
export const nameOf = (s: StaffRef): string => (typeof s === 'string' ? s : (s.displayName ?? s.username));
/** The username of a staff member. */
export const userOf = (s: StaffRef): string => (typeof s === 'string' ? s : s.username);

/** The use cases staff call. Errors: `HandoffStateError` (missing / taken / not-owner), `NotFoundError`. */
export class HandoffDesk {
  constructor(protected readonly deps: DeskDeps) {}

  /** Waiting tickets oldest first, then active ones, with guide titles. */
  async list(): Promise<DeskTicket[]> {
    const tickets = await this.deps.queue.list();
    return tickets.map((t) => this.withTitle(t));
  }

  /** The ticket, transcript and a little state of one conversation; null when nothing is stored. */
  async open(id: ConversationId): Promise<DeskConversation | null> {
    const { queue, store } = this.deps;
    const [ticket, state, transcript] = await Promise.all([queue.get(id), store.get(id), store.transcript(id)]);
    if (!ticket && !state) return null;
    return {
      ticket: ticket ? this.withTitle(ticket) : null,
      transcript,
      lang: state?.lang ?? 'vi',
      mode: state?.mode ?? 'bot',
      unreachable: state?.unreachable === true,
      // Conversations handed off before handedOffAtMs existed show it by a staff or system line.
      handedOff: ticket !== null || state?.handedOffAtMs !== undefined || transcript.some((e) => e.role === 'staff' || e.role === 'system'),
      ...(state?.guideId ? { guideId: state.guideId, ...(state.step ? { step: state.step } : {}) } : {}),
      ...(state?.caseId ? { caseId: state.caseId } : {}),
    };
  }

  /** Guides staff can insert, in content order (Vietnamese titles). */
  guides(): DeskGuide[] {
    return this.deps.snapshot().content.guideList.map((g) => ({ id: g.id, title: g.title, category: g.category, steps: g.steps.length }));
  }

  /**
   * Takes a waiting conversation: exactly one of two concurrent claims wins, the other gets
   * `HandoffStateError('taken')`. The citizen is told who took it; the bot stays silent.
   */
  async claim(id: ConversationId, staff: StaffRef): Promise<DeskTicket> {
    const { queue, clock } = this.deps;
    const ticket = await this.locked(id, async (state) => {
      if (state.mode === 'bot') throw new HandoffStateError('missing', id); // cancelled meanwhile
      const result = await queue.claim(id, userOf(staff), clock.nowMs());
      if (!result.ok) throw new HandoffStateError(result.reason, id, result.owner);
      state.mode = 'staff';
      state.pending = undefined;
      const line = await this.say(state, { text: say(this.deps.driver.view(state), 'handoff.claimed', { staff: nameOf(staff) }) }, 'system');
      await this.logCase(state, [line], { status: 'active', owner: userOf(staff), addStaff: userOf(staff) });
      return result.ticket;
    });
    await this.after('claim', id, staff, 'status');
    return this.withTitle(ticket);
  }

  /** Sends the owner's text to the citizen (prefixed with their name) and records it. */
  async reply(id: ConversationId, staff: StaffRef, text: string): Promise<TranscriptEntry> {
    const clean = text.trim();
    if (clean.length === 0 || clean.length > STAFF_TEXT_LIMIT) {
      throw new AppError('BAD_TEXT', `reply must be 1-${STAFF_TEXT_LIMIT} characters`);
    }
    const entry = await this.locked(id, async (state) => {
      await this.assertOwner(id, staff);
      const message = say(this.deps.driver.view(state), 'staff.prefix', { staff: nameOf(staff), text: clean });
      const line = await this.say(state, { text: message }, 'staff', userOf(staff));
      await this.logCase(state, [line], { lastStaffAtMs: line.atMs });
      return line;
    });
    await this.after('reply', id, staff, 'message', entry);
    return entry;
  }

  /** Sends a guide's title, summary and official link, in the citizen's language. */
  async insertGuide(id: ConversationId, staff: StaffRef, guideId: string): Promise<TranscriptEntry> {
    const guide = this.deps.snapshot().content.guides.get(guideId);
    if (!guide) throw new NotFoundError(`guide ${guideId}`);
    const entry = await this.locked(id, async (state) => {
      await this.assertOwner(id, staff);
      const l = localGuide(guide, state.lang);
      const link = guide.links[0]?.url ?? guide.where.find((w) => w.url)?.url ?? '';
      const v = this.deps.driver.view(state);
      const message = say(v, 'staff.prefix', { staff: nameOf(staff), text: say(v, 'staff.insert_guide', { title: l.title, summary: l.summary.trim(), link }) });
      const line = await this.say(state, { text: message }, 'staff', userOf(staff));
      await this.logCase(state, [line], { lastStaffAtMs: line.atMs });
      return line;
    });
    await this.after('insert-guide', id, staff, 'message', entry, guideId);
    return entry;
  }

  /** Puts the conversation back in the queue at its old place and tells the citizen. Resolves the place. */
  async release(id: ConversationId, staff: StaffRef): Promise<number> {
    const { queue } = this.deps;
    const position = await this.locked(id, async (state) => {
      await this.assertOwner(id, staff);
      if (!(await queue.release(id, userOf(staff)))) throw new HandoffStateError('not-owner', id);
      const place = (await queue.position(id)) ?? 1;
      state.mode = 'waiting';
      const line = await this.say(state, { text: say(this.deps.driver.view(state), 'handoff.released', { position: place }) }, 'system');
      await this.logCase(state, [line], { status: 'waiting', owner: null });
      return place;
    });
    await this.after('release', id, staff, 'queue');
    return position;
  }

  /** Ends the hand-off: the bot takes over again and asks the citizen for a 1–5 rating. */
  async resolve(id: ConversationId, staff: StaffRef): Promise<void> {
    const { queue } = this.deps;
    await this.locked(id, async (state) => {
      await this.assertOwner(id, staff);
      await queue.remove(id);
      state.mode = 'bot';
      state.pending = 'rating';
      state.fallbacks = 0;
      const line = await this.say(state, ratingView(this.deps.driver.view(state)), 'system');
      state.caseClosedAtMs = line.atMs;
      await this.logCase(state, [line], { status: 'resolved', owner: null, closedAtMs: line.atMs, closedBy: userOf(staff) });
    });
    await this.after('resolve', id, staff, 'status');
  }

  /** Runs `fn` under the conversation lock; a ticket whose conversation is gone is dropped. */
  protected async locked<T>(id: ConversationId, fn: (state: ConversationState) => Promise<T>): Promise<T> {
    const box = await this.deps.driver.updateConversation(id, async (state) => ({ value: await fn(state) }));
    if (box !== null) return box.value;
    if (await this.deps.queue.remove(id)) {
      await this.deps.events.publish({ type: 'status', conversationId: id, atMs: this.deps.clock.nowMs() });
    }
    throw new HandoffStateError('missing', id);
  }

  protected async assertOwner(id: ConversationId, staff: StaffRef): Promise<HandoffTicket> {
    const ticket = await this.deps.queue.get(id);
    if (!ticket) throw new HandoffStateError('missing', id);
    if (ticket.status !== 'active' || ticket.owner !== userOf(staff)) throw new HandoffStateError('not-owner', id, ticket.owner);
    return ticket;
  }

  /** Sends one reply and returns its transcript line (as recorded). */
  protected async say(state: ConversationState, reply: Reply, role: 'staff' | 'system', by?: string): Promise<TranscriptEntry> {
    await this.deps.driver.deliver(state, [reply], { role, keepMenu: reply.options === undefined, ...(by ? { by } : {}) });
    return { atMs: this.deps.clock.nowMs(), role, text: reply.text, ...(by ? { by } : {}) };
  }

  /** Records lines and a change on the conversation's case (a failure is logged, never thrown). */
  protected logCase(state: ConversationState, lines: readonly TranscriptEntry[], change?: CaseChange): Promise<void> {
    return logCase(this.deps, state.caseId, lines, change);
  }

  /** Tells live views and writes the audit line; neither may fail the action already done. */
  protected async after(
    action: AuditAction,
    id: ConversationId,
    staff: StaffRef,
    type: 'queue' | 'status' | 'message',
    entry?: TranscriptEntry,
    detail?: string,
    assignedTo?: string,
  ): Promise<void> {
    const atMs = this.deps.clock.nowMs();
    await this.deps.events.publish({ type, conversationId: id, atMs, by: userOf(staff), ...(entry ? { entry } : {}), ...(assignedTo ? { assignedTo } : {}) });
    try {
      await this.deps.audit.append({ atMs, actor: userOf(staff), action, conversationId: id, ...(detail ? { detail } : {}) });
    } catch (err) {
      this.deps.logger.warn({ action, err: (err as Error).message }, 'audit entry not written');
    }
  }

  protected withTitle(t: HandoffTicket): DeskTicket {
    const g = t.guideId ? this.deps.snapshot().content.guides.get(t.guideId) : undefined;
    return g ? { ...t, guideTitle: g.title } : t;
  }
}
