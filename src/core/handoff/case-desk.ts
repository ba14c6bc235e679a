/**
 * The staff desk with the tools of a busy inbox, on top of {@link HandoffDesk}: private notes,
 * transfer to a colleague (or back to the queue with a note), labels, reopening a resolved
 * conversation the citizen wrote to again, the history and its search, canned replies and the
 * waiting time that counts (office hours only). Every read of the history is audited too.
 */
import { AppError, HandoffStateError, NotFoundError } from '../errors.ts';
import { say } from '../dialogue/views.ts';
import { isOfficeOpen, nextOpeningMs, officeMsBetween } from '../office-hours.ts';
import type { AuditAction, CaseLine, CasePage, CaseQuery, CaseRecord, HandoffTicket, StaffDirectory } from '../ports.ts';
import { cannedReplyText } from '../replies.ts';
import type { ConversationId, TranscriptEntry } from '../types.ts';
import { canReopen, tidyLabels } from './cases.ts';
import { HandoffDesk, STAFF_TEXT_LIMIT, nameOf, userOf, type DeskConversation, type DeskDeps, type DeskTicket, type StaffRef } from './desk.ts';

/** Everything the case desk uses: the desk's ports and the staff directory (colleagues). */
export interface CaseDeskDeps extends DeskDeps {
  readonly directory: StaffDirectory;
}

/** A queue entry with the wait that counts: office time since the citizen started waiting. */
export interface QueueTicket extends DeskTicket {
  /** Office-hours time waited so far (waiting tickets; 0 for active ones), ms. */
  readonly officeWaitMs: number;
}

/** What the console shows of the queue: a page of the waiting tickets, every active one, and the totals. */
export interface QueuePage {
  readonly waiting: { readonly total: number; readonly offset: number; readonly tickets: QueueTicket[] };
  readonly active: { readonly total: number; readonly tickets: QueueTicket[] };
}

/** What a live event tells consoles about the queue: the ticket now (null: out of the queue) and the totals. */
export interface QueueDelta {
  readonly ticket: QueueTicket | null;
  readonly counts: { readonly waiting: number; readonly active: number };
}

/** Active tickets shown at most (people hold them; the queue's length is in the waiting ones). */
export const ACTIVE_SHOWN_MAX = 500;

/** One conversation as the console opens it, with its case. */
export interface CaseConversation extends DeskConversation {
  /** The current or last case (labels, status, who held it), when the history has it. */
  readonly record: CaseRecord | null;
  /** The citizen wrote again within a day of a resolution: staff may reopen it. */
  readonly canReopen: boolean;
}

/** A canned reply ready to insert: text in both languages with the guide's link filled in. */
export interface ReplyView {
  readonly id: string;
  readonly title: string;
  readonly text: { readonly vi: string; readonly en: string };
  readonly guide?: { readonly id: string; readonly title: string; readonly link?: string };
}

/** A colleague to transfer to. */
export interface Colleague {
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
}

/** Whether the office is open now, and when it opens next (for the console's clocks). */
export interface OfficeNow {
  readonly open: boolean;
  readonly nextOpeningMs: number | null;
}

/** Longest private note, in characters. */
export const NOTE_TEXT_LIMIT = STAFF_TEXT_LIMIT;

/** The desk with notes, transfers, labels, reopening and the history. */
export class CaseDesk extends HandoffDesk {
  constructor(private readonly caseDeps: CaseDeskDeps) {
    super(caseDeps);
  }

  /** The queue (see {@link HandoffDesk.list}) with each waiting ticket's office-hours wait. */
  override async list(): Promise<QueueTicket[]> {
    const hours = this.deps.snapshot().content.officeHours;
    const now = this.deps.clock.nowMs();
    const tickets = await super.list();
    return tickets.map((t) => ({ ...t, officeWaitMs: t.status === 'waiting' ? officeMsBetween(hours, t.waitingSinceMs, now) : 0 }));
  }

  /**
   * One page of the waiting tickets (oldest first, from `offset`) and the active ones, with their
   * office-hours waits and the totals: what the console reads, whatever the queue's length.
   */
  async queuePage(offset: number, limit: number): Promise<QueuePage> {
    const { queue } = this.deps;
    const [waiting, active] = await Promise.all([queue.page('waiting', offset, limit), queue.page('active', 0, ACTIVE_SHOWN_MAX)]);
    return {
      waiting: { total: waiting.total, offset, tickets: waiting.tickets.map((t) => this.#queueTicket(t)) },
      active: { total: active.total, tickets: active.tickets.map((t) => this.#queueTicket(t)) },
    };
  }

  /** The ticket of `id` as the queue shows it (null when it left the queue) and the queue's totals. */
  async queueDelta(id: ConversationId): Promise<QueueDelta> {
    const [ticket, counts] = await Promise.all([this.deps.queue.get(id), this.deps.queue.counts()]);
    return { ticket: ticket ? this.#queueTicket(ticket) : null, counts: { waiting: counts.waiting, active: counts.active } };
  }

  #queueTicket(t: HandoffTicket): QueueTicket {
    const hours = this.deps.snapshot().content.officeHours;
    const officeWaitMs = t.status === 'waiting' ? officeMsBetween(hours, t.waitingSinceMs, this.deps.clock.nowMs()) : 0;
    return { ...this.withTitle(t), officeWaitMs };
  }

  /** Office hours now (open? next opening), for `staff`'s console (audited like every read). */
  async officeNow(staff: StaffRef): Promise<OfficeNow> {
    const hours = this.deps.snapshot().content.officeHours;
    const now = this.deps.clock.nowMs();
    await this.audit(staff, 'view', undefined, 'settings');
    return { open: isOfficeOpen(hours, now), nextOpeningMs: nextOpeningMs(hours, now) };
  }

  /** A conversation with its case (labels, status) and whether it may be reopened. */
  override async open(id: ConversationId): Promise<CaseConversation | null> {
    const [found, record] = await Promise.all([super.open(id), this.deps.history?.latest(id) ?? Promise.resolve(null)]);
    if (!found) return null;
    const mine = record && (!found.caseId || record.caseId === found.caseId) ? record : null;
    return { ...found, record: mine, canReopen: mine !== null && found.mode === 'bot' && canReopen(mine, this.deps.clock.nowMs()) };
  }

  /**
   * Adds a private note (any staff member, on a conversation that was handed off): kept with
   * the transcript and the case, shown to staff only, never sent to the citizen.
   */
  async note(id: ConversationId, staff: StaffRef, text: string): Promise<TranscriptEntry> {
    const clean = text.trim();
    if (clean.length === 0 || clean.length > NOTE_TEXT_LIMIT) throw new AppError('BAD_TEXT', `note must be 1-${NOTE_TEXT_LIMIT} characters`);
    const entry = await this.locked(id, async (state) => {
      if (!state.caseId) throw new HandoffStateError('missing', id);
      const line: TranscriptEntry = { atMs: this.deps.clock.nowMs(), role: 'note', text: clean, by: userOf(staff) };
      await this.deps.store.appendTranscript(id, [line]);
      await this.logCase(state, [line]);
      return line;
    });
    await this.after('note', id, staff, 'message', entry);
    return entry;
  }

  /**
   * Hands the conversation to colleague `to` (who is alerted), or back to the queue when `to`
   * is null; an optional private note goes with it. Owner only. Resolves the new owner, or the
   * place in the queue.
   */
  async transfer(id: ConversationId, staff: StaffRef, to: string | null, note?: string): Promise<{ owner?: string; position?: number }> {
    const target = to === null ? null : await this.colleague(to);
    if (target && target.username === userOf(staff)) throw new AppError('BAD_TARGET', 'cannot transfer to oneself');
    const clean = note?.trim() ?? '';
    if (clean.length > NOTE_TEXT_LIMIT) throw new AppError('BAD_TEXT', `note must be at most ${NOTE_TEXT_LIMIT} characters`);
    const result = await this.locked(id, async (state) => {
      await this.assertOwner(id, staff);
      const lines: TranscriptEntry[] = [];
      if (clean) lines.push({ atMs: this.deps.clock.nowMs(), role: 'note', text: clean, by: userOf(staff) });
      if (lines.length > 0) await this.deps.store.appendTranscript(id, lines);
      const v = this.deps.driver.view(state);
      if (target === null) {
        if (!(await this.deps.queue.release(id, userOf(staff)))) throw new HandoffStateError('not-owner', id);
        const position = (await this.deps.queue.position(id)) ?? 1;
        state.mode = 'waiting';
        lines.push(await this.say(state, { text: say(v, 'handoff.released', { position }) }, 'system'));
        await this.logCase(state, lines, { status: 'waiting', owner: null });
        return { position };
      }
      if (!(await this.deps.queue.transfer(id, userOf(staff), target.username, this.deps.clock.nowMs()))) throw new HandoffStateError('not-owner', id);
      lines.push(await this.say(state, { text: say(v, 'handoff.transferred', { staff: target.displayName }) }, 'system'));
      await this.logCase(state, lines, { owner: target.username, addStaff: target.username });
      return { owner: target.username };
    });
    const type = target === null ? 'queue' : 'status';
    await this.after('transfer', id, staff, type, undefined, target ? `to:${target.username}` : 'to:queue', target?.username);
    return result;
  }

  /** Replaces the labels of the conversation's case (or of `caseId`, one of its cases). Any staff member. */
  async setLabels(id: ConversationId, staff: StaffRef, labels: readonly string[], caseId?: string): Promise<CaseRecord> {
    const tidy = tidyLabels(labels);
    if (tidy === null) throw new AppError('BAD_LABELS', 'labels: at most 8, each 1-30 characters');
    const history = this.requireHistory();
    const record = caseId ? (await history.get(caseId))?.record : await history.latest(id);
    if (!record || record.conversationId !== id) throw new NotFoundError(`case of ${id}`);
    const updated = await history.setLabels(record.caseId, tidy);
    if (!updated) throw new NotFoundError(`case ${record.caseId}`);
    await this.after('label', id, staff, 'status', undefined, tidy.join(',').slice(0, 200));
    return updated;
  }

  /**
   * Reopens a resolved conversation the citizen wrote to again within a day: the staff member
   * takes it at once and the citizen is told who is back.
   */
  async reopen(id: ConversationId, staff: StaffRef): Promise<DeskTicket> {
    const history = this.requireHistory();
    const ticket = await this.locked(id, async (state) => {
      const record = await history.latest(id);
      if (state.mode !== 'bot' || !record || record.caseId !== state.caseId || !canReopen(record, this.deps.clock.nowMs())) {
        throw new AppError('NOT_REOPENABLE', 'only a resolved conversation the citizen wrote to again within a day can be reopened');
      }
      const now = this.deps.clock.nowMs();
      await this.deps.queue.enqueue({
        id,
        channel: state.channel,
        waitingSinceMs: record.lastCitizenAtMs ?? now,
        reason: record.reason,
        caseId: record.caseId,
        ...(record.title ? { title: record.title } : {}),
        ...(record.displayName ? { displayName: record.displayName } : {}),
      });
      const claimed = await this.deps.queue.claim(id, userOf(staff), now);
      if (!claimed.ok) throw new HandoffStateError(claimed.reason, id, claimed.owner);
      state.mode = 'staff';
      state.pending = undefined;
      delete state.caseClosedAtMs;
      const line = await this.say(state, { text: say(this.deps.driver.view(state), 'handoff.reopened', { staff: nameOf(staff) }) }, 'system');
      await this.logCase(state, [line], { status: 'active', owner: userOf(staff), addStaff: userOf(staff) });
      return claimed.ticket;
    });
    await this.after('reopen', id, staff, 'status');
    return this.withTitle(ticket);
  }

  /** One page of past and present hand-offs (audited: who searched, with which filters; never the words). */
  async searchCases(staff: StaffRef, query: CaseQuery): Promise<CasePage> {
    const page = await this.requireHistory().search(query);
    await this.audit(staff, 'search', undefined, describeQuery(query));
    return page;
  }

  /** A case and its lines (audited), with whether it may be reopened now. */
  async readCase(staff: StaffRef, caseId: string): Promise<{ record: CaseRecord; lines: CaseLine[]; canReopen: boolean }> {
    const found = await this.requireHistory().get(caseId);
    if (!found) throw new NotFoundError(`case ${caseId}`);
    await this.audit(staff, 'view', found.record.conversationId, `case:${caseId}`);
    return { ...found, canReopen: canReopen(found.record, this.deps.clock.nowMs()) };
  }

  /** Canned replies of the live content, by title (Vietnamese order), links filled in. */
  async replies(staff: StaffRef): Promise<ReplyView[]> {
    const { content } = this.deps.snapshot();
    const views = (content.replies ?? []).map((r): ReplyView => {
      const g = r.guide ? content.guides.get(r.guide) : undefined;
      const link = g ? (g.links[0]?.url ?? g.where.find((w) => w.url)?.url) : undefined;
      return {
        id: r.id,
        title: r.title,
        text: { vi: cannedReplyText(r, 'vi', link), en: cannedReplyText(r, 'en', link) },
        ...(g ? { guide: { id: g.id, title: g.title, ...(link ? { link } : {}) } } : {}),
      };
    });
    await this.audit(staff, 'view', undefined, 'replies');
    return views.sort((a, b) => a.title.localeCompare(b.title, 'vi'));
  }

  /** Labels used lately (suggestions). */
  async knownLabels(staff: StaffRef): Promise<string[]> {
    const labels = this.deps.history ? await this.deps.history.knownLabels(100) : [];
    await this.audit(staff, 'view', undefined, 'labels');
    return labels;
  }

  /** Every staff account as colleagues to transfer to (names only). */
  async colleagues(staff: StaffRef): Promise<Colleague[]> {
    const accounts = await this.caseDeps.directory.listAccounts();
    await this.audit(staff, 'view', undefined, 'colleagues');
    return accounts.map((a) => ({ username: a.username, displayName: a.displayName ?? a.username, role: a.role }));
  }

  private async colleague(username: string): Promise<Colleague> {
    const account = await this.caseDeps.directory.getAccount(username.trim().toLowerCase());
    if (!account) throw new NotFoundError(`staff ${username}`);
    return { username: account.username, displayName: account.displayName ?? account.username, role: account.role };
  }

  private requireHistory() {
    if (!this.deps.history) throw new AppError('NOT_SUPPORTED', 'no hand-off history configured');
    return this.deps.history;
  }

  /** Writes an audit line for a read; a failure is logged, never thrown. */
  private async audit(staff: StaffRef, action: AuditAction, conversationId?: ConversationId, detail?: string): Promise<void> {
    try {
      await this.deps.audit.append({ atMs: this.deps.clock.nowMs(), actor: userOf(staff), action, ...(conversationId ? { conversationId } : {}), ...(detail ? { detail } : {}) });
    } catch (err) {
      this.deps.logger.warn({ action, err: (err as Error).message }, 'audit entry not written');
    }
  }
}

/** A search as the audit log keeps it: which filters, never the words searched for. */
function describeQuery(q: CaseQuery): string {
  const parts: string[] = [];
  if (q.text) parts.push('text');
  if (q.status) parts.push(`status=${q.status}`);
  if (q.label) parts.push(`label=${q.label}`);
  if (q.channel) parts.push(`channel=${q.channel}`);
  if (q.staff) parts.push(`staff=${q.staff}`);
  if (q.fromMs !== undefined || q.toMs !== undefined) parts.push('dates');
  if (q.cursor) parts.push('next-page');
  return parts.join(',') || 'all';
}
