/**
 * Editors' reports as pure functions of the recorded analytics events and the guides:
 * the backlog of unanswered questions, per-guide numbers, and per channel / per day shares.
 * No I/O: the CLI and the Editors page read the events, then call {@link buildReport}.
 */
import type { AnalyticsEvent } from '../core/ports.ts';
import type { ChannelName } from '../core/types.ts';

const DAY_MS = 86_400_000;
/** The time zone days are counted in unless told otherwise (Cần Thơ). */
export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Most unanswered groups listed (the rest are the long tail). */
export const UNANSWERED_LIMIT = 500;

/** What the report needs to know of a guide (from the live content). */
export interface ReportGuide {
  readonly id: string;
  readonly title: string;
  /** Last review, `YYYY-MM-DD`. */
  readonly reviewed: string;
  /** When the next review is due (epoch ms). */
  readonly reviewDueMs: number;
}

/** The period and context of a report. */
export interface ReportOptions {
  readonly sinceMs: number;
  readonly untilMs: number;
  /** "Now", for days since review. Default `untilMs`. */
  readonly nowMs?: number;
  /** IANA zone days are counted in. Default {@link REPORT_TIME_ZONE}. */
  readonly timeZone?: string;
  readonly guides: readonly ReportGuide[];
}

/**
 * A group of questions the bot could not answer (fallback), declined because no guide covers
 * the topic (not-covered: a listed gap, demand for a new guide), or whose answer got a 👎.
 */
export interface UnansweredRow {
  readonly kind: 'fallback' | 'not-covered' | 'thumbs-down';
  /**
   * fallback: the normalised, masked question. thumbs-down: the question most often answered
   * with that guide in the period ("" when it was only reached through the menu) — a 👎 is
   * deliberately not linked to the conversation it came from.
   */
  readonly query: string;
  readonly count: number;
  /** fallback: the guide the bot ranked first (most often, in this group); thumbs-down: the guide; not-covered: null. */
  readonly guideId: string | null;
  readonly guideTitle: string | null;
  readonly lastAtMs: number;
}

/** Numbers of one guide in the period. */
export interface GuideRow {
  readonly id: string;
  readonly title: string;
  /** Times the bot answered with it. */
  readonly shown: number;
  /** Times it was offered in a "did you mean" list. */
  readonly offered: number;
  readonly thumbsUp: number;
  readonly thumbsDown: number;
  /** Hand-offs that happened while the citizen was on this guide. */
  readonly handoffs: number;
  readonly reviewed: string | null;
  readonly daysSinceReview: number | null;
  /** Past its review date. */
  readonly stale: boolean;
  /** No longer in the content (events only). */
  readonly removed: boolean;
}

/** Counts of a channel (and a day, in `days`). Shares are 0..1 of `questions`. */
export interface ActivityRow {
  /** Every searched message, greetings included. */
  readonly messages: number;
  /** Messages that were questions (greetings and thanks left out). */
  readonly questions: number;
  readonly answered: number;
  readonly clarified: number;
  readonly unanswered: number;
  readonly handoffs: number;
  readonly answeredShare: number;
  readonly handoffShare: number;
  /** Hand-offs a person took, and the median time the citizen waited for it. */
  readonly claims: number;
  readonly medianWaitMs: number | null;
  readonly ratings: number;
  readonly ratingAvg: number | null;
  readonly thumbsUp: number;
  readonly thumbsDown: number;
}

/** The whole report. */
export interface EditorReport {
  readonly sinceMs: number;
  readonly untilMs: number;
  readonly timeZone: string;
  readonly totals: ActivityRow;
  readonly unanswered: readonly UnansweredRow[];
  readonly guides: readonly GuideRow[];
  readonly channels: readonly (ActivityRow & { readonly channel: ChannelName })[];
  readonly days: readonly (ActivityRow & { readonly day: string; readonly channel: ChannelName })[];
}

/** `YYYY-MM-DD` of `ms` in `timeZone`. */
export function localDay(ms: number, timeZone: string = REPORT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** The median of `values` (mean of the two middle ones when even), null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

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

/** The most frequent key (ties: the one seen last), or null. */
function mostFrequent(counts: ReadonlyMap<string, { n: number; lastAtMs: number }>): string | null {
  let best: [string, { n: number; lastAtMs: number }] | null = null;
  for (const entry of counts) {
    if (!best || entry[1].n > best[1].n || (entry[1].n === best[1].n && entry[1].lastAtMs > best[1].lastAtMs)) best = entry;
  }
  return best ? best[0] : null;
}

function bump(map: Map<string, { n: number; lastAtMs: number }>, key: string, atMs: number): void {
  const v = map.get(key) ?? { n: 0, lastAtMs: 0 };
  v.n++;
  v.lastAtMs = Math.max(v.lastAtMs, atMs);
  map.set(key, v);
}

/** Builds the report from events (any order; those outside [sinceMs, untilMs) are ignored). */
export function buildReport(events: readonly AnalyticsEvent[], options: ReportOptions): EditorReport {
  const timeZone = options.timeZone ?? REPORT_TIME_ZONE;
  const nowMs = options.nowMs ?? options.untilMs;
  const inRange = events.filter((e) => e.atMs >= options.sinceMs && e.atMs < options.untilMs).sort((a, b) => a.atMs - b.atMs);
  const titles = new Map(options.guides.map((g) => [g.id, g.title]));

  const totals = new Tally();
  const channels = new Map<ChannelName, Tally>();
  const days = new Map<string, { day: string; channel: ChannelName; tally: Tally }>();
  const fallbacks = new Map<string, { count: number; lastAtMs: number; nearest: Map<string, { n: number; lastAtMs: number }> }>();
  const notCovered = new Map<string, { n: number; lastAtMs: number }>();
  const answeredWith = new Map<string, Map<string, { n: number; lastAtMs: number }>>();
  const perGuide = new Map<string, { shown: number; offered: number; up: number; down: number; handoffs: number; lastDownAtMs: number }>();
  const guideTally = (id: string) => {
    let g = perGuide.get(id);
    if (!g) perGuide.set(id, (g = { shown: 0, offered: 0, up: 0, down: 0, handoffs: 0, lastDownAtMs: 0 }));
    return g;
  };

  for (const e of inRange) {
    totals.add(e);
    let ch = channels.get(e.channel);
    if (!ch) channels.set(e.channel, (ch = new Tally()));
    ch.add(e);
    const day = localDay(e.atMs, timeZone);
    const dayKey = `${day}|${e.channel}`;
    let d = days.get(dayKey);
    if (!d) days.set(dayKey, (d = { day, channel: e.channel, tally: new Tally() }));
    d.tally.add(e);

    if (e.kind === 'question') {
      if (e.decision === 'answer' && e.guides[0]) {
        guideTally(e.guides[0]).shown++;
        let qs = answeredWith.get(e.guides[0]);
        if (!qs) answeredWith.set(e.guides[0], (qs = new Map()));
        if (e.query !== '') bump(qs, e.query, e.atMs);
      } else if (e.decision === 'clarify') {
        for (const id of e.guides) guideTally(id).offered++;
      } else if (e.decision === 'fallback' && e.notCovered) {
        bump(notCovered, e.query, e.atMs);
      } else if (e.decision === 'fallback') {
        let f = fallbacks.get(e.query);
        if (!f) fallbacks.set(e.query, (f = { count: 0, lastAtMs: 0, nearest: new Map() }));
        f.count++;
        f.lastAtMs = e.atMs;
        if (e.guides[0]) bump(f.nearest, e.guides[0], e.atMs);
      }
    } else if (e.kind === 'feedback') {
      const g = guideTally(e.guideId);
      if (e.helpful) g.up++;
      else {
        g.down++;
        g.lastDownAtMs = e.atMs;
      }
    } else if (e.kind === 'handoff' && e.guideId) {
      guideTally(e.guideId).handoffs++;
    }
  }

  const unanswered: UnansweredRow[] = [];
  for (const [query, f] of fallbacks) {
    const guideId = mostFrequent(f.nearest);
    unanswered.push({ kind: 'fallback', query, count: f.count, guideId, guideTitle: guideId ? (titles.get(guideId) ?? null) : null, lastAtMs: f.lastAtMs });
  }
  for (const [query, f] of notCovered) {
    unanswered.push({ kind: 'not-covered', query, count: f.n, guideId: null, guideTitle: null, lastAtMs: f.lastAtMs });
  }
  for (const [id, g] of perGuide) {
    if (g.down === 0) continue;
    const qs = answeredWith.get(id);
    unanswered.push({ kind: 'thumbs-down', query: (qs && mostFrequent(qs)) ?? '', count: g.down, guideId: id, guideTitle: titles.get(id) ?? null, lastAtMs: g.lastDownAtMs });
  }
  unanswered.sort((a, b) => b.count - a.count || b.lastAtMs - a.lastAtMs || a.query.localeCompare(b.query));

  const guides: GuideRow[] = [];
  const zero = { shown: 0, offered: 0, up: 0, down: 0, handoffs: 0 };
  for (const meta of options.guides) {
    const g = perGuide.get(meta.id) ?? zero;
    const reviewedMs = Date.parse(`${meta.reviewed}T00:00:00Z`);
    guides.push({
      id: meta.id,
      title: meta.title,
      shown: g.shown,
      offered: g.offered,
      thumbsUp: g.up,
      thumbsDown: g.down,
      handoffs: g.handoffs,
      reviewed: meta.reviewed,
      daysSinceReview: Number.isNaN(reviewedMs) ? null : Math.max(0, Math.floor((nowMs - reviewedMs) / DAY_MS)),
      stale: nowMs > meta.reviewDueMs,
      removed: false,
    });
  }
  for (const [id, g] of perGuide) {
    if (titles.has(id)) continue;
    guides.push({ id, title: '', shown: g.shown, offered: g.offered, thumbsUp: g.up, thumbsDown: g.down, handoffs: g.handoffs, reviewed: null, daysSinceReview: null, stale: false, removed: true });
  }
  guides.sort(
    (a, b) =>
      Number(a.removed) - Number(b.removed) ||
      Number(b.stale) - Number(a.stale) ||
      (b.daysSinceReview ?? -1) - (a.daysSinceReview ?? -1) ||
      a.id.localeCompare(b.id),
  );

  return {
    sinceMs: options.sinceMs,
    untilMs: options.untilMs,
    timeZone,
    totals: totals.row(),
    unanswered: unanswered.slice(0, UNANSWERED_LIMIT),
    guides,
    channels: [...channels].sort(([a], [b]) => a.localeCompare(b)).map(([channel, t]) => ({ channel, ...t.row() })),
    days: [...days.values()]
      .sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel))
      .map(({ day, channel, tally }) => ({ day, channel, ...tally.row() })),
  };
}
