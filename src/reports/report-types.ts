/**
 * The shape of an editors' report: what it needs to know of the guides, the period it covers,
 * and its rows (unanswered questions, guides, activity per channel and per day).
 */
import type { ChannelName } from '../core/types.ts';

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
