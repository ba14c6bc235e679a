/**
 * Review dates: when a guide's facts must be checked again, which guides are past that date,
 * and fees that state an amount without a date to re-check it.
 */
import type { Guide } from '../core/guide.ts';

const DAY_MS = 86_400_000;

/** An amount of money in a fees text: digits followed by a currency word ("25.000 đồng", "100 triệu"). */
const AMOUNT = /\d[\d.,\s]*\s*(?:đồng|đ|vnd|dong|nghìn|ngàn|triệu|thousand|million)(?![\p{L}\p{N}])/iu;

/**
 * The date a guide must be reviewed by: the earlier of `review_by` and `reviewed` +
 * `review_every_days` (365 days when neither is given, which the schema does not allow).
 */
export function reviewDueDate(guide: Pick<Guide, 'reviewed' | 'review_by' | 'review_every_days'>): Date {
  const dates: number[] = [];
  if (guide.review_by) dates.push(Date.parse(`${guide.review_by}T00:00:00Z`));
  if (guide.review_every_days !== undefined || !guide.review_by) {
    dates.push(Date.parse(`${guide.reviewed}T00:00:00Z`) + (guide.review_every_days ?? 365) * DAY_MS);
  }
  return new Date(Math.min(...dates));
}

/** Whole days `today` is past the guide's review date (0 or less: not due). */
export function daysOverdue(guide: Pick<Guide, 'reviewed' | 'review_by' | 'review_every_days'>, today: Date): number {
  return Math.floor((today.getTime() - reviewDueDate(guide).getTime()) / DAY_MS);
}

/** A guide past its review date, for the summary of content:check. */
export interface GuideDue {
  readonly id: string;
  /** `YYYY-MM-DD`. */
  readonly due: string;
  readonly daysOverdue: number;
}

/** The guides past their review date on `today`, most overdue first. */
export function guidesDue(guides: readonly Guide[], today: Date): GuideDue[] {
  return guides
    .map((g) => ({ id: g.id, due: reviewDueDate(g).toISOString().slice(0, 10), daysOverdue: daysOverdue(g, today) }))
    .filter((d) => d.daysOverdue > 0)
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.id.localeCompare(b.id));
}

/** The first amount of money a fees text states ("200.000 đồng"), or undefined. */
export function statedAmount(fees: string | undefined): string | undefined {
  return fees ? AMOUNT.exec(fees)?.[0].trim() : undefined;
}
