/**
 * What the memory and Redis histories share, so both find, order and page cases alike: the
 * words a case and a line are found by, the order (newest first, ties by id as a Redis sorted
 * set orders them), the page cursor and how a change applies to a record.
 */
import { searchTokens } from '../core/handoff/cases.ts';
import type { CaseChange, CaseLine, CaseRecord } from '../core/ports.ts';

/** Roles whose lines are searched (the bot's and system lines are not: they are the same for everyone). */
const SEARCHED_ROLES: ReadonlySet<CaseLine['role']> = new Set(['citizen', 'staff', 'note']);

/** The words a case is found by without its lines: its title, the citizen's name and its labels. */
export function caseTokensOf(record: Pick<CaseRecord, 'title' | 'displayName' | 'labels'>): string[] {
  return searchTokens([record.title, record.displayName ?? '', ...record.labels].join(' '), 400);
}

/** A staff line starts with how the citizen saw who wrote ("👤 Cán bộ Lan: "): not searched. */
const STAFF_PREFIX = /^👤[^:\n]{1,80}:\s*/u;

/** The words a line is found by (none for bot and system lines). */
export function lineTokens(line: CaseLine): string[] {
  if (!SEARCHED_ROLES.has(line.role)) return [];
  return searchTokens(line.role === 'staff' ? line.text.replace(STAFF_PREFIX, '') : line.text);
}

/** Newest first; equal starts by case id, descending by bytes (as ZREVRANGEBYSCORE orders equal scores). */
export function newestFirst(a: { record: CaseRecord }, b: { record: CaseRecord }): number {
  return b.record.startedAtMs - a.record.startedAtMs || Buffer.compare(Buffer.from(b.record.caseId), Buffer.from(a.record.caseId));
}

/** A page position: cases started at or before `score`, after skipping `skip` of them. */
export interface HistoryCursor {
  readonly score: number;
  readonly skip: number;
}

/** The cursor a page was asked with, or undefined when absent or malformed (the first page). */
export function decodeCursor(cursor: string | undefined): HistoryCursor | undefined {
  const m = /^(\d{1,16})\.(\d{1,6})$/.exec(cursor ?? '');
  return m ? { score: Number(m[1]), skip: Number(m[2]) } : undefined;
}

/** The cursor of the page after `page` (which was read at `prev`). */
export function encodeCursor(page: readonly CaseRecord[], prev: HistoryCursor | undefined): string {
  const last = page[page.length - 1];
  if (!last) return prev ? `${prev.score}.${prev.skip}` : '';
  const same = page.filter((r) => r.startedAtMs === last.startedAtMs).length;
  const skip = prev && prev.score === last.startedAtMs ? prev.skip + same : same;
  return `${last.startedAtMs}.${skip}`;
}

/** The record with `change` applied. */
export function withChange(record: CaseRecord, change: CaseChange): CaseRecord {
  const next: { -readonly [K in keyof CaseRecord]: CaseRecord[K] } = { ...record };
  if (change.status !== undefined) next.status = change.status;
  if (change.owner === null) delete next.owner;
  else if (change.owner !== undefined) next.owner = change.owner;
  if (change.addStaff !== undefined && !next.staff.includes(change.addStaff)) next.staff = [...next.staff, change.addStaff];
  if (change.lastCitizenAtMs !== undefined) next.lastCitizenAtMs = change.lastCitizenAtMs;
  if (change.lastStaffAtMs !== undefined) next.lastStaffAtMs = change.lastStaffAtMs;
  if (change.closedAtMs !== undefined) next.closedAtMs = change.closedAtMs;
  if (change.closedBy !== undefined) next.closedBy = change.closedBy;
  return next;
}
