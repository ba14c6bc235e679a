/**
 * Editors' reports as pure functions of the recorded analytics events and the guides:
 * the backlog of unanswered questions, per-guide numbers, and per channel / per day shares.
 * The CLI and the Editors page call {@link streamReport}, which reads the events a chunk at a time
 * ({@link ReportBuilder}); {@link buildReport} does the same over events already in hand.
 * The parts live next door: report-types.ts (the shape), activity.ts, unanswered.ts and
 * guide-stats.ts (one kind of count each).
 */
import type { AnalyticsEvent, AnalyticsStore } from '../core/ports.ts';
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

/**
 * A report built a chunk of events at a time (any order; those outside [sinceMs, untilMs) are
 * ignored): only the tallies are kept, never the events, so a long period fits in little memory.
 */
export class ReportBuilder {
  readonly #options: ReportOptions;
  readonly #timeZone: string;
  readonly #activity: ActivityTallies;
  readonly #guides = new GuideTallies();
  readonly #unanswered = new UnansweredTallies();

  constructor(options: ReportOptions) {
    this.#options = options;
    this.#timeZone = options.timeZone ?? REPORT_TIME_ZONE;
    this.#activity = new ActivityTallies(this.#timeZone);
  }

  /** Counts the events of the period among `events`. */
  add(events: readonly AnalyticsEvent[]): void {
    const { sinceMs, untilMs } = this.#options;
    for (const e of events) {
      if (e.atMs < sinceMs || e.atMs >= untilMs) continue;
      this.#activity.add(e);
      this.#guides.add(e);
      this.#unanswered.add(e);
    }
  }

  /** The report of what was added. */
  finish(): EditorReport {
    const o = this.#options;
    const titles = new Map(o.guides.map((g) => [g.id, g.title]));
    const { totals, channels, days } = this.#activity.rows();
    return {
      sinceMs: o.sinceMs,
      untilMs: o.untilMs,
      timeZone: this.#timeZone,
      totals,
      unanswered: this.#unanswered.rows(this.#guides.byId, titles).slice(0, UNANSWERED_LIMIT),
      guides: this.#guides.rows(o.guides, o.nowMs ?? o.untilMs),
      channels,
      days,
    };
  }
}

/** Builds the report from events (any order; those outside [sinceMs, untilMs) are ignored). */
export function buildReport(events: readonly AnalyticsEvent[], options: ReportOptions): EditorReport {
  const builder = new ReportBuilder(options);
  builder.add(events);
  return builder.finish();
}

/**
 * Builds the report straight from the store, a chunk of events at a time, and lets the event
 * loop run between chunks (each chunk takes a few milliseconds), so a report over a busy week
 * neither holds the week's events in memory nor keeps citizens' messages waiting meanwhile.
 */
export async function streamReport(store: Pick<AnalyticsStore, 'scan'>, options: ReportOptions, chunkSize = 2_000): Promise<EditorReport> {
  const builder = new ReportBuilder(options);
  await store.scan(options.sinceMs, options.untilMs, async (events) => {
    builder.add(events);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }, chunkSize);
  return builder.finish();
}
