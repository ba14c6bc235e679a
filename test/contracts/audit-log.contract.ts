/**
 * The behaviour every AuditLog must show (memory and Redis alike).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../src/core/ports.ts';
import type { Fresh } from './contract-support.ts';

const entry = (n: number): AuditEntry => ({ atMs: n, actor: 'lan', action: 'reply', conversationId: 'telegram:5512345678' });

/** Runs the AuditLog contract; `makeFresh(max)` builds a log keeping `max` entries. */
export function describeAuditLogContract(name: string, makeFresh: (max?: number) => Promise<Fresh<AuditLog>>): void {
  describe(`AuditLog contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(max?: number): Promise<Fresh<AuditLog>> {
      const f = await makeFresh(max);
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('returns entries newest first, with every field', async () => {
      const { impl } = await fresh();
      expect(await impl.recent(10)).toEqual([]);
      await impl.append({ atMs: 1, actor: 'lan', action: 'claim', conversationId: 'web:abc' });
      await impl.append({ atMs: 2, actor: 'lan', action: 'insert-guide', conversationId: 'web:abc', detail: 'vneid-activate-level2' });
      await impl.append({ atMs: 3, actor: 'minh', action: 'login' });
      expect(await impl.recent(10)).toEqual([
        { atMs: 3, actor: 'minh', action: 'login' },
        { atMs: 2, actor: 'lan', action: 'insert-guide', conversationId: 'web:abc', detail: 'vneid-activate-level2' },
        { atMs: 1, actor: 'lan', action: 'claim', conversationId: 'web:abc' },
      ]);
      expect((await impl.recent(2)).map((e) => e.atMs)).toEqual([3, 2]);
      expect(await impl.recent(0)).toEqual([]);
    });

    it('drops the oldest entries past its bound', async () => {
      const { impl } = await fresh(5);
      for (let i = 1; i <= 8; i++) await impl.append(entry(i));
      expect((await impl.recent(100)).map((e) => e.atMs)).toEqual([8, 7, 6, 5, 4]);
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
