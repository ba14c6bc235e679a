/**
 * The backlog of a report: questions the bot could not answer (fallback), topics no guide
 * covers (not-covered) and guides whose answer got a 👎, grouped and counted.
 */
import type { AnalyticsEvent } from '../core/ports.ts';
import type { GuideStats } from './guide-stats.ts';
import type { UnansweredRow } from './report-types.ts';

/** How often a key was seen, and when last. */
interface Seen {
  n: number;
  lastAtMs: number;
}

/** The most frequent key (ties: the one seen last, then the first in code-point order), or null; whatever order the events came in. */
function mostFrequent(counts: ReadonlyMap<string, Seen>): string | null {
  let best: [string, Seen] | null = null;
  for (const entry of counts) {
    const [key, { n, lastAtMs }] = entry;
    if (!best || n > best[1].n || (n === best[1].n && (lastAtMs > best[1].lastAtMs || (lastAtMs === best[1].lastAtMs && key < best[0])))) best = entry;
  }
  return best ? best[0] : null;
}

/** Counts one sighting of `key` at `atMs`. */
function bump(map: Map<string, Seen>, key: string, atMs: number): void {
  const v = map.get(key) ?? { n: 0, lastAtMs: 0 };
  v.n++;
  v.lastAtMs = Math.max(v.lastAtMs, atMs);
  map.set(key, v);
}

/** The questions of a report, grouped by what became of them. */
export class UnansweredTallies {
  /** Fallbacks by normalised query, with the guides the bot ranked first for them. */
  private readonly fallbacks = new Map<string, { count: number; lastAtMs: number; nearest: Map<string, Seen> }>();
  private readonly notCovered = new Map<string, Seen>();
  /** Per guide, the queries it answered (to name a 👎 by its most likely question). */
  private readonly answeredWith = new Map<string, Map<string, Seen>>();

  /** Counts one event (questions only; the rest are ignored). */
  add(e: AnalyticsEvent): void {
    if (e.kind !== 'question') return;
    if (e.decision === 'answer' && e.guides[0]) {
      let qs = this.answeredWith.get(e.guides[0]);
      if (!qs) this.answeredWith.set(e.guides[0], (qs = new Map()));
      if (e.query !== '') bump(qs, e.query, e.atMs);
    } else if (e.decision === 'fallback' && e.notCovered) {
      bump(this.notCovered, e.query, e.atMs);
    } else if (e.decision === 'fallback') {
      let f = this.fallbacks.get(e.query);
      if (!f) this.fallbacks.set(e.query, (f = { count: 0, lastAtMs: 0, nearest: new Map() }));
      f.count++;
      f.lastAtMs = Math.max(f.lastAtMs, e.atMs); // events may come in any order
      if (e.guides[0]) bump(f.nearest, e.guides[0], e.atMs);
    }
  }

  /**
   * Fallback, not-covered and thumbs-down rows (the 👎 counts come from `guides`), most
   * frequent first, then most recent, then by query.
   */
  rows(guides: ReadonlyMap<string, GuideStats>, titles: ReadonlyMap<string, string>): UnansweredRow[] {
    const rows: UnansweredRow[] = [];
    for (const [query, f] of this.fallbacks) {
      const guideId = mostFrequent(f.nearest);
      rows.push({ kind: 'fallback', query, count: f.count, guideId, guideTitle: guideId ? (titles.get(guideId) ?? null) : null, lastAtMs: f.lastAtMs });
    }
    for (const [query, f] of this.notCovered) {
      rows.push({ kind: 'not-covered', query, count: f.n, guideId: null, guideTitle: null, lastAtMs: f.lastAtMs });
    }
    for (const [id, g] of guides) {
      if (g.down === 0) continue;
      const qs = this.answeredWith.get(id);
      rows.push({ kind: 'thumbs-down', query: (qs && mostFrequent(qs)) ?? '', count: g.down, guideId: id, guideTitle: titles.get(id) ?? null, lastAtMs: g.lastDownAtMs });
    }
    return rows.sort((a, b) => b.count - a.count || b.lastAtMs - a.lastAtMs || a.query.localeCompare(b.query));
  }
}
