/**
 * Editors' reports as pure functions of the recorded analytics events and the guides:
 * the backlog of unanswered questions, per-guide numbers, and per channel / per day shares.
 * No I/O: the CLI and the Editors page read the events, then call {@link buildReport}.
 * The parts live next door: report-types.ts (the shape), activity.ts, unanswered.ts and
 * guide-stats.ts (one kind of count each).
 */
import type { AnalyticsEvent } from '../core/ports.ts';
import { ActivityTallies } from './activity.ts';
import { GuideTallies } from './guide-stats.ts';
import { REPORT_TIME_ZONE, UNANSWERED_LIMIT, type EditorReport, type ReportOptions } from './report-types.ts';
import { UnansweredTallies } from './unanswered.ts';

export { localDay, median } from './activity.ts';
export {
  REPORT_TIME_ZONE,
  UNANSWERED_LIMIT,
  type ActivityRow,
  type EditorReport,
  type GuideRow,
  type ReportGuide,
  type ReportOptions,
  type UnansweredRow,
} from './report-types.ts';

/** Builds the report from events (any order; those outside [sinceMs, untilMs) are ignored). */
export function buildReport(events: readonly AnalyticsEvent[], options: ReportOptions): EditorReport {
  const timeZone = options.timeZone ?? REPORT_TIME_ZONE;
  const nowMs = options.nowMs ?? options.untilMs;
  const inRange = events.filter((e) => e.atMs >= options.sinceMs && e.atMs < options.untilMs).sort((a, b) => a.atMs - b.atMs);
  const titles = new Map(options.guides.map((g) => [g.id, g.title]));

  const activity = new ActivityTallies(timeZone);
  const guides = new GuideTallies();
  const unanswered = new UnansweredTallies();
  for (const e of inRange) {
    activity.add(e);
    guides.add(e);
    unanswered.add(e);
  }
  const { totals, channels, days } = activity.rows();
  return {
    sinceMs: options.sinceMs,
    untilMs: options.untilMs,
    timeZone,
    totals,
    unanswered: unanswered.rows(guides.byId, titles).slice(0, UNANSWERED_LIMIT),
    guides: guides.rows(options.guides, nowMs),
    channels,
    days,
  };
}
