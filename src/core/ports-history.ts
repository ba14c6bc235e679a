/**
 * The history of hand-offs: one case per time a conversation went to a person, with its lines
 * (the context the citizen had read, what they wrote, staff replies and private notes), its
 * labels and who held it, searchable by text, status, label, channel, staff and date.
 * Re-exported by ports.ts.
 */
import type { ChannelName, ConversationId, Lang, TranscriptEntry } from './types.ts';

/** Where a case stands: in the queue, with a person, resolved by staff, or cancelled by the citizen. */
export type CaseStatus = 'waiting' | 'active' | 'resolved' | 'cancelled';

/** Every case status, in the order the console lists them. */
export const CASE_STATUSES: readonly CaseStatus[] = ['waiting', 'active', 'resolved', 'cancelled'];

/** One hand-off of one conversation. */
export interface CaseRecord {
  /** Stable id (see `caseIdOf`), unique per conversation and start. */
  readonly caseId: string;
  readonly conversationId: ConversationId;
  readonly channel: ChannelName;
  /** When the citizen asked for a person (the list is ordered by it, newest first). */
  readonly startedAtMs: number;
  readonly status: CaseStatus;
  /** Why the hand-off was requested (`asked`, `fallbacks`, `feedback`, `scam`). */
  readonly reason: string;
  /** The citizen's first question, personal numbers masked (may be empty). */
  readonly title: string;
  /** The name the platform shows for the citizen, when it gives one. */
  readonly displayName?: string;
  /** The guide the bot had open when the citizen asked. */
  readonly guideId?: string;
  readonly lang: Lang;
  /** Who holds it now (active only). */
  readonly owner?: string;
  /** Everyone who held it, in order. */
  readonly staff: readonly string[];
  /** Labels staff set, as written (e.g. "VNeID", "khiếu nại"). */
  readonly labels: readonly string[];
  readonly lastCitizenAtMs?: number;
  readonly lastStaffAtMs?: number;
  /** When it was resolved or cancelled, and by whom (a username, or `citizen`). */
  readonly closedAtMs?: number;
  readonly closedBy?: string;
}

/** One line of a case: a transcript line (`note` lines are staff-only). */
export type CaseLine = TranscriptEntry;

/** A change to a case's fields; `owner: null` clears the owner. */
export interface CaseChange {
  readonly status?: CaseStatus;
  readonly owner?: string | null;
  /** Adds a staff member to {@link CaseRecord.staff} (once). */
  readonly addStaff?: string;
  readonly lastCitizenAtMs?: number;
  readonly lastStaffAtMs?: number;
  readonly closedAtMs?: number;
  readonly closedBy?: string;
}

/** What to look for; every given filter must hold. */
export interface CaseQuery {
  /** Words that must all appear (folded: "can cuoc" finds "căn cước") in the case's lines, title, name or labels. */
  readonly text?: string;
  readonly status?: CaseStatus;
  /** A label, matched folded and whole. */
  readonly label?: string;
  readonly channel?: ChannelName;
  /** A username that held the case. */
  readonly staff?: string;
  /** Started at or after (epoch ms). */
  readonly fromMs?: number;
  /** Started before (epoch ms). */
  readonly toMs?: number;
  /** From the previous page's `next`. */
  readonly cursor?: string;
  /** Cases per page. */
  readonly limit: number;
}

/** One page of cases, newest first. */
export interface CasePage {
  readonly items: CaseRecord[];
  /** Cases matching the query (all pages). */
  readonly total: number;
  /** Cursor of the next page; absent on the last one. */
  readonly next?: string;
}

/**
 * The hand-off history (Redis: shared by every instance, indexed for search; memory: one
 * instance). Cases are kept for a retention period from their start, and at most a cap of them;
 * a citizen's "delete my data" erases every case of the conversation.
 */
export interface ConversationHistory {
  /** Starts a case with its first lines (the context the citizen read before asking). */
  open(record: CaseRecord, lines: readonly CaseLine[]): Promise<void>;
  /** The newest case of a conversation, or null. */
  latest(conversationId: ConversationId): Promise<CaseRecord | null>;
  /** A case and its lines (oldest first), or null when unknown, expired or erased. */
  get(caseId: string): Promise<{ readonly record: CaseRecord; readonly lines: CaseLine[] } | null>;
  /** Appends lines (indexed for search) and applies `change`; a no-op for an unknown case. */
  record(caseId: string, lines: readonly CaseLine[], change?: CaseChange): Promise<void>;
  /** Replaces the case's labels; resolves the updated case, or null when unknown. */
  setLabels(caseId: string, labels: readonly string[]): Promise<CaseRecord | null>;
  /** Labels used lately, most recent first (suggestions). */
  knownLabels(limit: number): Promise<string[]>;
  /** One page of matching cases, newest first. */
  search(query: CaseQuery): Promise<CasePage>;
  /** Erases every case of the conversation and its index entries; resolves how many. */
  eraseConversation(conversationId: ConversationId): Promise<number>;
}
