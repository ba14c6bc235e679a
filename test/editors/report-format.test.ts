// The report's pure parts: ordering rules, medians, periods, CSV safety, and the recorder's
// promise never to block or break the engine.
import { describe, expect, it } from 'vitest';
import { silentLogger, type AnalyticsEvent, type AnalyticsStore } from '../../src/core/ports.ts';
import { csvCell, parsePeriod, reportCsv, reportText } from '../../src/reports/format.ts';
import { AnalyticsRecorder, reportClaims } from '../../src/reports/recorder.ts';
import { buildReport, localDay, median, streamReport, type ReportGuide } from '../../src/reports/report.ts';
import { MemoryAnalyticsStore } from '../../src/stores/memory/memory-analytics-store.ts';
import { MemoryHandoffQueue } from '../../src/stores/memory/memory-handoff-queue.ts';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-11-16T00:00:00+07:00');
const guides: ReportGuide[] = [
  { id: 'fresh', title: 'Mới rà soát', reviewed: '2026-11-10', reviewDueMs: Date.parse('2027-11-10') },
  { id: 'old-ok', title: 'Rà soát lâu rồi', reviewed: '2026-01-10', reviewDueMs: Date.parse('2027-01-10') },
  { id: 'stale', title: 'Quá hạn', reviewed: '2026-05-01', reviewDueMs: Date.parse('2026-11-01') },
  { id: 'staler', title: 'Quá hạn lâu', reviewed: '2025-09-01', reviewDueMs: Date.parse('2026-09-01') },
];
const q = (atMs: number, decision: 'answer' | 'fallback' | 'clarify' | 'greeting', query: string, top: string[] = []): AnalyticsEvent => ({
  kind: 'question', atMs, channel: 'web', decision, query, guides: top, confidence: 0.5,
});

describe('buildReport', () => {
  it('puts stale guides first (longest since review first), then the rest, removed ones last', () => {
    const r = buildReport([{ kind: 'feedback', atMs: T0 + 5, channel: 'web', guideId: 'gone-guide', helpful: true }], { sinceMs: T0, untilMs: T0 + 7 * DAY_MS, guides });
    expect(r.guides.map((g) => [g.id, g.stale, g.removed])).toEqual([
      ['staler', true, false],
      ['stale', true, false],
      ['old-ok', false, false],
      ['fresh', false, false],
      ['gone-guide', false, true],
    ]);
  });

  it('counts local days in Cần Thơ time, not UTC', () => {
    const lateEvening = Date.parse('2026-11-16T23:30:00+07:00'); // 16:30 UTC the same day
    const afterMidnight = Date.parse('2026-11-17T00:30:00+07:00'); // still 2026-11-16 in UTC
    const r = buildReport([q(lateEvening, 'answer', 'a', ['fresh']), q(afterMidnight, 'answer', 'a', ['fresh'])], { sinceMs: T0, untilMs: T0 + 7 * DAY_MS, guides });
    expect(r.days.map((d) => d.day)).toEqual(['2026-11-16', '2026-11-17']);
    expect(localDay(afterMidnight, 'UTC')).toBe('2026-11-16');
  });

  it('picks the nearest guide a fallback group ranked first most often', () => {
    const r = buildReport(
      [q(T0 + 1, 'fallback', 'ho chieu', ['stale']), q(T0 + 2, 'fallback', 'ho chieu', ['fresh']), q(T0 + 3, 'fallback', 'ho chieu', ['fresh']), q(T0 + 4, 'fallback', '', [])],
      { sinceMs: T0, untilMs: T0 + DAY_MS, guides },
    );
    expect(r.unanswered).toEqual([
      { kind: 'fallback', query: 'ho chieu', count: 3, guideId: 'fresh', guideTitle: 'Mới rà soát', lastAtMs: T0 + 3 },
      { kind: 'fallback', query: '', count: 1, guideId: null, guideTitle: null, lastAtMs: T0 + 4 },
    ]);
  });

  it('takes the median of an even number of waits as the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([300])).toBe(300);
    expect(median([400, 100, 300, 200])).toBe(250);
  });
});

describe('report output', () => {
  const report = buildReport(
    [q(T0 + 1, 'fallback', '=cmd|calc', ['stale']), q(T0 + 2, 'fallback', 'lam "ho chieu", o dau', [])],
    { sinceMs: T0, untilMs: T0 + DAY_MS, guides },
  );

  it('writes CSV that spreadsheets read as text, never as formulas', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(null)).toBe('');
    expect(reportCsv(report, 'unanswered')).toBe(
      'kind,query,count,guide_id,guide_title,last_seen\r\n' +
        'fallback,"lam ""ho chieu"", o dau",1,,,2026-11-16\r\n' +
        "fallback,'=cmd|calc,1,stale,Quá hạn,2026-11-16\r\n",
    );
  });

  it('prints aligned tables for a terminal', () => {
    const lines = reportText(report, 'unanswered').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^kind\s+query\s+count/);
    expect(lines[1]).toMatch(/^-+\s+-+/);
    expect(lines).toHaveLength(4);
  });

  it('accepts periods in days or hours only', () => {
    expect(parsePeriod('7d')).toBe(7 * DAY_MS);
    expect(parsePeriod('36h')).toBe(36 * 3_600_000);
    for (const bad of ['7', '0d', '1w', '-1d', '400d', '7d; drop']) expect(() => parsePeriod(bad), bad).toThrow(/period/);
  });
});

describe('AnalyticsRecorder', () => {
  it('never throws into the engine and retries a failed write on the next flush', async () => {
    const kept: AnalyticsEvent[] = [];
    let failing = true;
    const store: AnalyticsStore = {
      async record(events) {
        if (failing) throw new Error('redis down');
        kept.push(...events);
      },
      async range() {
        return kept;
      },
      async scan(_since, _until, onChunk) {
        await onChunk(kept);
      },
      async rewriteQueries() {
        return 0;
      },
    };
    const recorder = new AnalyticsRecorder({ store, clock: { nowMs: () => T0 }, logger: silentLogger, flushEveryMs: 60_000 });
    recorder.rating({ channel: 'web', score: 5, atMs: T0 });
    recorder.feedback({ channel: 'web', guideId: 'fresh', helpful: true, atMs: T0 + 1 });
    await expect(recorder.flush()).resolves.toBeUndefined();
    expect(recorder.pending).toBe(2);
    failing = false;
    await recorder.flush();
    expect(recorder.pending).toBe(0);
    expect(kept.map((e) => e.kind)).toEqual(['rating', 'feedback']);
    await recorder.close();
  });

  it('keeps at most maxQueued events while the store is away (oldest dropped)', async () => {
    const store = new MemoryAnalyticsStore({ clock: { nowMs: () => T0 } });
    const recorder = new AnalyticsRecorder({ store, clock: { nowMs: () => T0 }, logger: silentLogger, maxQueued: 3, flushEveryMs: 60_000 });
    for (let i = 1; i <= 5; i++) recorder.rating({ channel: 'web', score: i, atMs: T0 + i });
    expect(recorder.pending).toBe(3);
    await recorder.close();
    expect((await store.range(0, T0 + DAY_MS)).map((e) => (e as { score: number }).score)).toEqual([3, 4, 5]);
  });

  it('reports a claim with the time the citizen waited, and only successful claims', async () => {
    const claimed: number[] = [];
    const queue = reportClaims(new MemoryHandoffQueue(), (t) => claimed.push((t.claimedAtMs ?? 0) - t.waitingSinceMs));
    await queue.enqueue({ id: 'web:abc', channel: 'web', waitingSinceMs: T0, reason: 'asked' });
    expect((await queue.claim('web:abc', 'lan', T0 + 90_000)).ok).toBe(true);
    expect((await queue.claim('web:abc', 'minh', T0 + 95_000)).ok).toBe(false);
    expect(claimed).toEqual([90_000]);
  });
});

describe('streamReport', () => {
  it('gives the same report as buildReport, from the store a chunk at a time', async () => {
    const store = new MemoryAnalyticsStore({ clock: { nowMs: () => T0 } });
    const events: AnalyticsEvent[] = [];
    for (let i = 0; i < 300; i++) {
      events.push({ kind: 'question', atMs: T0 - 3_600_000 * (i % 40), channel: i % 2 ? 'web' : 'telegram', decision: i % 7 ? 'answer' : 'fallback', query: `cau hoi ${i % 13}`, guides: i % 7 ? ['khai-sinh'] : [], confidence: 0.5 });
      if (i % 10 === 0) events.push({ kind: 'feedback', atMs: T0 - 60_000 * i, channel: 'web', guideId: 'khai-sinh', helpful: i % 20 === 0 });
    }
    await store.record(events);
    const options = { sinceMs: T0 - 7 * 86_400_000, untilMs: T0 + 1, guides: [] };
    expect(await streamReport(store, options, 17)).toEqual(buildReport(events, options));
  });
});
