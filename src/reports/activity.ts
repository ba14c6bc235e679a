/**
 * Activity counts of a report: every event tallied into the totals, its channel and its
 * (local day, channel) pair, then read out as {@link ActivityRow}s with shares and medians.
 */
import type { AnalyticsEvent } from '../core/ports.ts';
import type { ChannelName } from '../core/types.ts';
import { REPORT_TIME_ZONE, type ActivityRow, type EditorReport } from './report-types.ts';

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();
/** Days already worked out, by time zone and quarter hour (every zone's offset is a whole number of those). */
const DAYS = new Map<string, string>();
const QUARTER_HOUR_MS = 900_000;

/** `YYYY-MM-DD` of `ms` in `timeZone` (formatters and results cached: reports call this per event). */
export function localDay(ms: number, timeZone: string = REPORT_TIME_ZONE): string {
  const key = `${timeZone}|${Math.floor(ms / QUARTER_HOUR_MS)}`;
  const known = DAYS.get(key);
  if (known !== undefined) return known;
  let f = FORMATTERS.get(timeZone);
  if (f === undefined) FORMATTERS.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const day = f.format(ms);
  if (DAYS.size > 100_000) DAYS.clear(); // about three years of quarter hours: never grows without bound
  DAYS.set(key, day);
  return day;
}

/** The median of `values` (mean of the two middle ones when even), null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

/** `n` as a share of `of`, 0..1 rounded to three decimals (0 when `of` is 0). */
const share = (n: number, of: number): number => (of === 0 ? 0 : Math.round((n / of) * 1000) / 1000);

/** Mutable tallies behind an {@link ActivityRow}. */
class Tally {
  messages = 0;
  questions = 0;
  answered = 0;
  clarified = 0;
  unanswered = 0;
  handoffs = 0;
  thumbsUp = 0;
  thumbsDown = 0;
  waits: number[] = [];
  scores: number[] = [];

  /** Counts one event. */
  add(e: AnalyticsEvent): void {
    switch (e.kind) {
      case 'question':
        this.messages++;
        if (e.decision !== 'greeting') this.questions++;
        if (e.decision === 'answer') this.answered++;
        else if (e.decision === 'clarify') this.clarified++;
        else if (e.decision === 'fallback') this.unanswered++;
        return;
      case 'handoff':
        this.handoffs++;
        return;
      case 'feedback':
        if (e.helpful) this.thumbsUp++;
        else this.thumbsDown++;
        return;
      case 'claimed':
        this.waits.push(e.waitMs);
        return;
      case 'rating':
        this.scores.push(e.score);
        return;
    }
  }

  /** The counts so far, with shares, median wait and average rating. */
  row(): ActivityRow {
    const { messages, questions, answered, clarified, unanswered, handoffs, thumbsUp, thumbsDown } = this;
    const sum = this.scores.reduce((a, b) => a + b, 0);
    return {
      messages,
      questions,
      answered,
      clarified,
      unanswered,
      handoffs,
      answeredShare: share(answered, questions),
      handoffShare: share(handoffs, questions),
      claims: this.waits.length,
      medianWaitMs: median(this.waits),
      ratings: this.scores.length,
      ratingAvg: this.scores.length === 0 ? null : Math.round((sum / this.scores.length) * 100) / 100,
      thumbsUp,
      thumbsDown,
    };
  }
}

/** The totals, per channel and per (day, channel) tallies of one report. */
export class ActivityTallies {
  private readonly totals = new Tally();
  private readonly channels = new Map<ChannelName, Tally>();
  private readonly days = new Map<string, { day: string; channel: ChannelName; tally: Tally }>();

  /** @param timeZone the IANA zone days are counted in. */
  constructor(private readonly timeZone: string) {}

  /** Counts one event in the totals, its channel and its day. */
  add(e: AnalyticsEvent): void {
    this.totals.add(e);
    let ch = this.channels.get(e.channel);
    if (!ch) this.channels.set(e.channel, (ch = new Tally()));
    ch.add(e);
    const day = localDay(e.atMs, this.timeZone);
    const dayKey = `${day}|${e.channel}`;
    let d = this.days.get(dayKey);
    if (!d) this.days.set(dayKey, (d = { day, channel: e.channel, tally: new Tally() }));
    d.tally.add(e);
  }

  /** The report's totals, channels (by name) and days (by day, then channel). */
  rows(): Pick<EditorReport, 'totals' | 'channels' | 'days'> {
    return {
      totals: this.totals.row(),
      channels: [...this.channels].sort(([a], [b]) => a.localeCompare(b)).map(([channel, t]) => ({ channel, ...t.row() })),
      days: [...this.days.values()]
        .sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel))
        .map(({ day, channel, tally }) => ({ day, channel, ...tally.row() })),
    };
  }
}
