/**
 * The behaviour every RateBudget must show (memory and Redis alike): sliding windows, all or
 * nothing across windows, and a retry time that says when a full window has room again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BudgetWindow, RateBudget } from '../../src/core/ports.ts';
import type { Fresh } from './contract-support.ts';

const T0 = 1_750_000_000_000;

/** Runs the RateBudget contract against `makeFresh` (an empty budget store). */
export function describeRateBudgetContract(name: string, makeFresh: () => Promise<Fresh<RateBudget>>): void {
  describe(`RateBudget contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(): Promise<Fresh<RateBudget>> {
      const f = await makeFresh();
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('allows `limit` takes within a window, then refuses until the oldest leaves it', async () => {
      const { impl } = await fresh();
      const w: BudgetWindow = { key: 'k:minute', limit: 3, windowMs: 60_000 };
      for (const at of [0, 10_000, 20_000]) expect(await impl.take([w], T0 + at)).toEqual({ ok: true });
      expect(await impl.take([w], T0 + 30_000)).toEqual({ ok: false, key: 'k:minute', retryAfterMs: 30_000 });
      expect(await impl.take([w], T0 + 59_999)).toMatchObject({ ok: false, retryAfterMs: 1 });
      expect(await impl.take([w], T0 + 60_001)).toEqual({ ok: true }); // the take at 0 left the window
      expect(await impl.take([w], T0 + 60_002)).toMatchObject({ ok: false, retryAfterMs: 9_998 });
    });

    it('takes from every window or from none', async () => {
      const { impl } = await fresh();
      const ip: BudgetWindow = { key: 'ip:a', limit: 5, windowMs: 60_000 };
      const all: BudgetWindow = { key: 'all', limit: 2, windowMs: 60_000 };
      expect(await impl.take([ip, all], T0)).toEqual({ ok: true });
      expect(await impl.take([ip, all], T0 + 1)).toEqual({ ok: true });
      expect(await impl.take([ip, all], T0 + 2)).toMatchObject({ ok: false, key: 'all' });
      // The refused take charged nothing: the address still has 3 left on its own.
      for (let i = 0; i < 3; i++) expect(await impl.take([ip], T0 + 3 + i)).toEqual({ ok: true });
      expect(await impl.take([ip], T0 + 10)).toMatchObject({ ok: false, key: 'ip:a' });
    });

    it('keeps keys apart', async () => {
      const { impl } = await fresh();
      const a: BudgetWindow = { key: 'ip:a', limit: 1, windowMs: 60_000 };
      const b: BudgetWindow = { key: 'ip:b', limit: 1, windowMs: 60_000 };
      expect(await impl.take([a], T0)).toEqual({ ok: true });
      expect(await impl.take([b], T0)).toEqual({ ok: true });
      expect(await impl.take([a], T0 + 1)).toMatchObject({ ok: false });
    });

    it('never lets concurrent takes past the limit', async () => {
      const f = await fresh();
      const other = f.sibling ? await f.sibling() : f.impl;
      const w: BudgetWindow = { key: 'race', limit: 7, windowMs: 60_000 };
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : f.impl).take([w], T0 + i)));
      expect(results.filter((r) => r.ok)).toHaveLength(7);
    });
  });
}
