/**
 * Per-guide numbers of a report: how often each guide was shown, offered, rated and followed
 * by a hand-off, read out as {@link GuideRow}s with their review state.
 */
import type { AnalyticsEvent } from '../core/ports.ts';
import type { GuideRow, ReportGuide } from './report-types.ts';

const DAY_MS = 86_400_000;

/** Counts of one guide in the period. */
export interface GuideStats {
  shown: number;
  offered: number;
  up: number;
  down: number;
  handoffs: number;
  /** When the last 👎 came, epoch ms (0 without one). */
  lastDownAtMs: number;
}

/** The counts of every guide events name, in the order they first appear. */
export class GuideTallies {
  readonly byId = new Map<string, GuideStats>();

  /** Counts one event for the guide(s) it names. */
  add(e: AnalyticsEvent): void {
    if (e.kind === 'question') {
      if (e.decision === 'answer' && e.guides[0]) this.of(e.guides[0]).shown++;
      else if (e.decision === 'clarify') for (const id of e.guides) this.of(id).offered++;
    } else if (e.kind === 'feedback') {
      const g = this.of(e.guideId);
      if (e.helpful) g.up++;
      else {
        g.down++;
        g.lastDownAtMs = Math.max(g.lastDownAtMs, e.atMs); // events may come in any order
      }
    } else if (e.kind === 'handoff' && e.guideId) {
      this.of(e.guideId).handoffs++;
    }
  }

  /**
   * One row per guide of the content, then one per guide only events name (removed); sorted
   * removed last, stale first, longest since review first, then by id.
   */
  rows(guides: readonly ReportGuide[], nowMs: number): GuideRow[] {
    const rows = guides.map((meta) => this.contentRow(meta, nowMs));
    const known = new Set(guides.map((g) => g.id));
    for (const [id, g] of this.byId) {
      if (known.has(id)) continue;
      rows.push({ id, title: '', shown: g.shown, offered: g.offered, thumbsUp: g.up, thumbsDown: g.down, handoffs: g.handoffs, reviewed: null, daysSinceReview: null, stale: false, removed: true });
    }
    return rows.sort(
      (a, b) =>
        Number(a.removed) - Number(b.removed) ||
        Number(b.stale) - Number(a.stale) ||
        (b.daysSinceReview ?? -1) - (a.daysSinceReview ?? -1) ||
        a.id.localeCompare(b.id),
    );
  }

  /** The counts of `id`, created at zero on first use. */
  private of(id: string): GuideStats {
    let g = this.byId.get(id);
    if (!g) this.byId.set(id, (g = { shown: 0, offered: 0, up: 0, down: 0, handoffs: 0, lastDownAtMs: 0 }));
    return g;
  }

  /** The row of a guide in the content, with days since its review and whether it is past due. */
  private contentRow(meta: ReportGuide, nowMs: number): GuideRow {
    const g = this.byId.get(meta.id) ?? { shown: 0, offered: 0, up: 0, down: 0, handoffs: 0 };
    const reviewedMs = Date.parse(`${meta.reviewed}T00:00:00Z`);
    return {
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
    };
  }
}
