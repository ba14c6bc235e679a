/**
 * Report output: the `--since` period parser, the report's tables as CSV (RFC 4180, safe to
 * open in a spreadsheet) and as aligned plain text, and the guides' report metadata from content.
 */
import type { ContentBundle } from '../core/content.ts';
import { reviewDueDate } from '../content/rules.ts';
import { localDay, type EditorReport, type ReportGuide } from './report.ts';

/** The tables of a report, by name. */
export const REPORT_TABLES = ['unanswered', 'guides', 'channels', 'days'] as const;
/** One of {@link REPORT_TABLES}. */
export type ReportTable = (typeof REPORT_TABLES)[number];

/** A bad `--since` (or `?since=`) value. */
export class PeriodError extends Error {
  readonly code = 'BAD_PERIOD';
}

/** Longest period a report may cover: a year, ms (retention bounds it anyway). */
export const MAX_PERIOD_MS = 366 * 86_400_000;

/**
 * Parses a period like `7d`, `36h` or `90d` into milliseconds. Throws {@link PeriodError}
 * for anything else, for zero, and past {@link MAX_PERIOD_MS}.
 */
export function parsePeriod(text: string): number {
  const m = /^(\d{1,4})([dh])$/.exec(text.trim());
  if (!m) throw new PeriodError(`period must look like 7d or 24h (got ${JSON.stringify(text)})`);
  const ms = Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000);
  if (ms === 0 || ms > MAX_PERIOD_MS) throw new PeriodError(`period must be between 1h and 366d (got ${text})`);
  return ms;
}

/** Report metadata of every guide in the content (title, last review, review due date). */
export function reportGuidesOf(bundle: ContentBundle): ReportGuide[] {
  return bundle.guideList.map((g) => ({ id: g.id, title: g.title, reviewed: g.reviewed, reviewDueMs: reviewDueDate(g).getTime() }));
}

type Cell = string | number | boolean | null;

/** The header and rows of one table, as plain cells (shares as 0..1, waits in whole seconds). */
export function tableOf(report: EditorReport, table: ReportTable): { header: string[]; rows: Cell[][] } {
  const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
  const activity = ['messages', 'questions', 'answered', 'answered_share', 'clarified', 'unanswered', 'handoffs', 'handoff_share', 'claims', 'median_wait_s', 'ratings', 'rating_avg', 'thumbs_up', 'thumbs_down'];
  const activityCells = (r: EditorReport['totals']): Cell[] => [
    r.messages, r.questions, r.answered, r.answeredShare, r.clarified, r.unanswered, r.handoffs, r.handoffShare,
    r.claims, seconds(r.medianWaitMs), r.ratings, r.ratingAvg, r.thumbsUp, r.thumbsDown,
  ];
  switch (table) {
    case 'unanswered':
      return {
        header: ['kind', 'query', 'count', 'guide_id', 'guide_title', 'last_seen'],
        rows: report.unanswered.map((u) => [u.kind, u.query, u.count, u.guideId, u.guideTitle, localDay(u.lastAtMs, report.timeZone)]),
      };
    case 'guides':
      return {
        header: ['guide_id', 'title', 'shown', 'offered', 'thumbs_up', 'thumbs_down', 'handoffs', 'reviewed', 'days_since_review', 'stale'],
        rows: report.guides.map((g) => [g.id, g.removed ? '(removed)' : g.title, g.shown, g.offered, g.thumbsUp, g.thumbsDown, g.handoffs, g.reviewed, g.daysSinceReview, g.stale]),
      };
    case 'channels':
      return { header: ['channel', ...activity], rows: report.channels.map((c) => [c.channel, ...activityCells(c)]) };
    case 'days':
      return { header: ['day', 'channel', ...activity], rows: report.days.map((d) => [d.day, d.channel, ...activityCells(d)]) };
  }
}

/** One CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets never run it. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One table as CSV (header line first, CRLF line ends per RFC 4180). */
export function reportCsv(report: EditorReport, table: ReportTable): string {
  const { header, rows } = tableOf(report, table);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** One table as aligned plain text (for a terminal). */
export function reportText(report: EditorReport, table: ReportTable): string {
  const { header, rows } = tableOf(report, table);
  const text = [header, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.min(60, text.reduce((w, r) => Math.max(w, String(r[i]).length), 0)));
  const line = (r: readonly Cell[]) => r.map((c, i) => String(c).slice(0, 60).padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(text[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n') + '\n';
}
