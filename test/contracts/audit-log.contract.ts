/**
 * The behaviour every AuditLog must show (memory and Redis alike).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../src/core/ports.ts';
import { ManualClock, type Fresh } from './contract-support.ts';

/** Now, for the log's clock: entries are dated relative to it. */
const T0 = 1_750_000_000_000;
const DAY_MS = 86_400_000;
const entry = (n: number): AuditEntry => ({ atMs: T0 + n, actor: 'lan', action: 'reply', conversationId: 'telegram:5512345678', channel: 'telegram' });

/** What the contract asks of a fresh log. */
export interface AuditLogFreshOptions {
  /** Entries kept. */
  readonly max?: number;
  /** How long an entry is kept, ms. */
  readonly retentionMs?: number;
  /** The clock the retention is measured with. */
  readonly clock: ManualClock;
}

/** Runs the AuditLog contract; `makeFresh(options)` builds an empty log honouring them. */
export function describeAuditLogContract(name: string, makeFresh: (options: AuditLogFreshOptions) => Promise<Fresh<AuditLog>>): void {
  describe(`AuditLog contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(options: Partial<AuditLogFreshOptions> = {}): Promise<Fresh<AuditLog> & { clock: ManualClock }> {
      const clock = options.clock ?? new ManualClock(T0 + 1_000);
      const f = await makeFresh({ ...options, clock });
      cleanups.push(() => f.cleanup());
      return { ...f, clock };
    }

    it('returns entries newest first, with every field (a conversation id brings its channel)', async () => {
      const { impl } = await fresh();
      expect(await impl.recent(10)).toEqual([]);
      await impl.append({ atMs: T0 + 1, actor: 'lan', action: 'claim', conversationId: 'web:abc' });
      await impl.append({ atMs: T0 + 2, actor: 'lan', action: 'insert-guide', conversationId: 'web:abc', detail: 'vneid-activate-level2' });
      await impl.append({ atMs: T0 + 3, actor: 'minh', action: 'login' });
      await impl.append({ atMs: T0 + 4, actor: 'citizen', action: 'erase', channel: 'zalo-oa' });
      expect(await impl.recent(10)).toEqual([
        { atMs: T0 + 4, actor: 'citizen', action: 'erase', channel: 'zalo-oa' },
        { atMs: T0 + 3, actor: 'minh', action: 'login' },
        { atMs: T0 + 2, actor: 'lan', action: 'insert-guide', conversationId: 'web:abc', channel: 'web', detail: 'vneid-activate-level2' },
        { atMs: T0 + 1, actor: 'lan', action: 'claim', conversationId: 'web:abc', channel: 'web' },
      ]);
      expect((await impl.recent(2)).map((e) => e.atMs)).toEqual([T0 + 4, T0 + 3]);
      expect(await impl.recent(0)).toEqual([]);
    });

    it('drops the oldest entries past its bound', async () => {
      const { impl } = await fresh({ max: 5 });
      for (let i = 1; i <= 8; i++) await impl.append(entry(i));
      expect((await impl.recent(100)).map((e) => e.atMs - T0)).toEqual([8, 7, 6, 5, 4]);
    });

    it('forgets entries older than its retention', async () => {
      const f = await fresh({ retentionMs: 30 * DAY_MS });
      const at = (n: number) => ({ ...entry(n), atMs: f.clock.nowMs() + n });
      await f.impl.append({ ...entry(0), atMs: T0 - 40 * DAY_MS }); // already past it
      await f.impl.append(at(1));
      f.clock.advance(20 * DAY_MS);
      await f.impl.append(at(2));
      expect(await f.impl.recent(100)).toHaveLength(2);
      f.clock.advance(15 * DAY_MS); // the first is now 35 days old, the second 15
      const kept = await f.impl.recent(100);
      expect(kept).toHaveLength(1);
      expect(kept[0]!.atMs).toBe(f.clock.nowMs() - 15 * DAY_MS + 2);
      await f.impl.append(at(3));
      expect(await f.impl.recent(100)).toHaveLength(2);
    });

    it('forget removes a conversation id from its entries, keeping the lines and their channel', async () => {
      const { impl } = await fresh();
      await impl.append({ atMs: T0 + 1, actor: 'lan', action: 'read', conversationId: 'telegram:5512345678' });
      await impl.append({ atMs: T0 + 2, actor: 'lan', action: 'claim', conversationId: 'telegram:5512345678' });
      await impl.append({ atMs: T0 + 3, actor: 'lan', action: 'claim', conversationId: 'telegram:55123456789' });
      await impl.append({ atMs: T0 + 4, actor: 'lan', action: 'insert-guide', conversationId: 'telegram:5512345678', detail: 'passport' });
      expect(await impl.forget('telegram:5512345678')).toBe(3);
      expect(await impl.recent(10)).toEqual([
        { atMs: T0 + 4, actor: 'lan', action: 'insert-guide', channel: 'telegram', detail: 'passport' },
        { atMs: T0 + 3, actor: 'lan', action: 'claim', conversationId: 'telegram:55123456789', channel: 'telegram' },
        { atMs: T0 + 2, actor: 'lan', action: 'claim', channel: 'telegram' },
        { atMs: T0 + 1, actor: 'lan', action: 'read', channel: 'telegram' },
      ]);
      expect(await impl.forget('telegram:5512345678')).toBe(0);
    });

    it('keeps every concurrent append', async () => {
      const { impl } = await fresh();
      await Promise.all(Array.from({ length: 25 }, (_, i) => impl.append(entry(i))));
      expect(await impl.recent(100)).toHaveLength(25);
    });

    it('is shared with another instance', async () => {
      const f = await fresh();
      const other = f.sibling ? await f.sibling() : f.impl;
      await f.impl.append(entry(42));
      expect(await other.recent(1)).toEqual([entry(42)]);
    });
  });
}
