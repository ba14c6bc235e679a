/**
 * The behaviour every AnalyticsStore must show (memory and Redis alike).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsEvent, AnalyticsStore, Clock } from '../../src/core/ports.ts';
import type { Fresh } from './contract-support.ts';

const DAY_MS = 86_400_000;

/** How a fresh store is built: its retention and the clock it measures it with. */
export interface AnalyticsStoreSetup {
  readonly retentionMs: number;
  readonly clock: Clock;
}

/** One event of each kind, at `atMs` + small offsets. */
export function sampleEvents(atMs: number): AnalyticsEvent[] {
  return [
    { kind: 'question', atMs, channel: 'telegram', decision: 'answer', query: 'lam can cuoc', guides: ['id-card-issue', 'id-card-child'], confidence: 0.91 },
    { kind: 'question', atMs: atMs + 1, channel: 'web', decision: 'fallback', query: 'con meo bay', guides: [], confidence: 0.2 },
    { kind: 'feedback', atMs: atMs + 2, channel: 'telegram', guideId: 'id-card-issue', helpful: false },
    { kind: 'handoff', atMs: atMs + 3, channel: 'zalo-bot', reason: 'feedback', guideId: 'id-card-issue' },
    { kind: 'handoff', atMs: atMs + 4, channel: 'zalo-oa', reason: 'asked' },
    { kind: 'claimed', atMs: atMs + 5, channel: 'zalo-oa', waitMs: 95_000 },
    { kind: 'rating', atMs: atMs + 6, channel: 'zalo-oa', score: 5 },
    { kind: 'question', atMs: atMs + 7, channel: 'cli', decision: 'fallback', query: 'lam ho chieu', guides: ['id-card-issue'], confidence: 0.9, notCovered: true },
  ];
}

/** Runs the AnalyticsStore contract against `makeFresh`. Times are near the real clock (Redis TTLs are real). */
export function describeAnalyticsStoreContract(name: string, makeFresh: (setup: AnalyticsStoreSetup) => Promise<Fresh<AnalyticsStore>>): void {
  describe(`AnalyticsStore contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    const nowMs = Date.now();
    async function fresh(retentionMs = 90 * DAY_MS): Promise<Fresh<AnalyticsStore>> {
      const f = await makeFresh({ retentionMs, clock: { nowMs: () => nowMs } });
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('gives back every kind of event unchanged, oldest first, whatever order they were recorded in', async () => {
      const { impl } = await fresh();
      const events = sampleEvents(nowMs - 3 * DAY_MS);
      await impl.record([...events].reverse().slice(0, 4));
      await impl.record([...events].reverse().slice(4));
      expect(await impl.range(nowMs - 10 * DAY_MS, nowMs + 1)).toEqual(events);
    });

    it('returns nothing for an empty period and accepts an empty batch', async () => {
      const { impl } = await fresh();
      await impl.record([]);
      expect(await impl.range(nowMs - DAY_MS, nowMs)).toEqual([]);
    });

    it('includes sinceMs and excludes untilMs, across several days', async () => {
      const { impl } = await fresh();
      const at = (d: number, channel: 'web' | 'telegram'): AnalyticsEvent => ({ kind: 'rating', atMs: nowMs - d * DAY_MS, channel, score: d });
      await impl.record([at(1, 'web'), at(2, 'telegram'), at(3, 'web'), at(4, 'web'), at(8, 'web')]);
      const got = await impl.range(nowMs - 4 * DAY_MS, nowMs - DAY_MS);
      expect(got.map((e) => (e as { score: number }).score)).toEqual([4, 3, 2]);
      expect(await impl.range(nowMs - 30 * DAY_MS, nowMs)).toHaveLength(5);
    });

    it('scans the same events as range, in chunks of at most chunkSize, one after the other', async () => {
      const { impl } = await fresh();
      const many: AnalyticsEvent[] = Array.from({ length: 23 }, (_, i) => ({ kind: 'rating', atMs: nowMs - (i % 3) * DAY_MS - i, channel: 'web', score: i }));
      await impl.record(many);
      const chunks: number[] = [];
      const seen: AnalyticsEvent[] = [];
      let busy = false;
      await impl.scan(nowMs - 5 * DAY_MS, nowMs + 1, async (events) => {
        expect(busy).toBe(false); // the next chunk waits for this one
        busy = true;
        chunks.push(events.length);
        seen.push(...events);
        await new Promise((r) => setTimeout(r, 1));
        busy = false;
      }, 5);
      expect(Math.max(...chunks)).toBeLessThanOrEqual(5);
      expect(seen.sort((a, b) => a.atMs - b.atMs)).toEqual(await impl.range(nowMs - 5 * DAY_MS, nowMs + 1));
      expect(seen).toHaveLength(23);
    });

    it('forgets events older than the retention period', async () => {
      const { impl } = await fresh(10 * DAY_MS);
      const old: AnalyticsEvent = { kind: 'rating', atMs: nowMs - 20 * DAY_MS, channel: 'web', score: 1 };
      const borderline: AnalyticsEvent = { kind: 'rating', atMs: nowMs - 11 * DAY_MS, channel: 'web', score: 2 };
      const recent: AnalyticsEvent = { kind: 'rating', atMs: nowMs - 5 * DAY_MS, channel: 'web', score: 3 };
      await impl.record([old, borderline, recent]);
      expect(await impl.range(nowMs - 60 * DAY_MS, nowMs)).toEqual([recent]);
    });

    it('is shared with another instance on the same backing store', async () => {
      const f = await fresh();
      const other = f.sibling ? await f.sibling() : f.impl;
      const events = sampleEvents(nowMs - 1_000);
      await f.impl.record(events);
      expect(await other.range(nowMs - DAY_MS, nowMs + DAY_MS)).toEqual(events);
    });

    it('hands back copies: changing a result does not change the store', async () => {
      const { impl } = await fresh();
      await impl.record(sampleEvents(nowMs - 1_000));
      const first = await impl.range(nowMs - DAY_MS, nowMs);
      (first[0] as { query: string }).query = 'changed';
      expect((await impl.range(nowMs - DAY_MS, nowMs))[0]).toMatchObject({ query: 'lam can cuoc' });
    });
  });
}
