/**
 * The behaviour every KeyValueStore must show (memory and Redis alike).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/core/ports.ts';
import { advance, type Fresh } from './contract-support.ts';

/** Runs the KeyValueStore contract against `makeFresh` (`advance` lets TTLs run out). */
export function describeKeyValueStoreContract(name: string, makeFresh: () => Promise<Fresh<KeyValueStore>>): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(): Promise<Fresh<KeyValueStore>> {
      const f = await makeFresh();
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('gets null for a missing key, then what was set, then null after delete', async () => {
      const { impl } = await fresh();
      expect(await impl.get('zalo-oa:access-token')).toBeNull();
      await impl.set('zalo-oa:access-token', 'tok-1');
      expect(await impl.get('zalo-oa:access-token')).toBe('tok-1');
      await impl.set('zalo-oa:access-token', 'tok-2');
      expect(await impl.get('zalo-oa:access-token')).toBe('tok-2');
      await impl.delete('zalo-oa:access-token');
      expect(await impl.get('zalo-oa:access-token')).toBeNull();
      await impl.delete('zalo-oa:access-token'); // deleting nothing is fine
    });

    it('expires a value set with ttlMs; a later set without ttl keeps it for good', async () => {
      const f = await fresh();
      await f.impl.set('short', 'v', 200);
      await f.impl.set('cleared', 'v', 200);
      await f.impl.set('cleared', 'w');
      await f.impl.set('forever', 'v');
      await advance(f, 350);
      expect(await f.impl.get('short')).toBeNull();
      expect(await f.impl.get('cleared')).toBe('w');
      expect(await f.impl.get('forever')).toBe('v');
    });

    it('setIfAbsent sets only once until the value expires or is deleted', async () => {
      const f = await fresh();
      expect(await f.impl.setIfAbsent('refresh-lock', 'a', 200)).toBe(true);
      expect(await f.impl.setIfAbsent('refresh-lock', 'b', 200)).toBe(false);
      expect(await f.impl.get('refresh-lock')).toBe('a');
      await advance(f, 350);
      expect(await f.impl.setIfAbsent('refresh-lock', 'c', 5_000)).toBe(true);
      await f.impl.delete('refresh-lock');
      expect(await f.impl.setIfAbsent('refresh-lock', 'd', 5_000)).toBe(true);
      expect(await f.impl.get('refresh-lock')).toBe('d');
    });

    it('only one of many concurrent setIfAbsent calls wins', async () => {
      const { impl } = await fresh();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => impl.setIfAbsent('first', String(i), 5_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
