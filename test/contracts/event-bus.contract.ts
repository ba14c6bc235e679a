/**
 * The behaviour every EventBus must show (memory and Redis alike).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EventBus, LiveEvent } from '../../src/core/ports.ts';
import { sleep, waitFor, type Fresh } from './contract-support.ts';

function event(n: number): LiveEvent {
  return {
    type: 'message',
    conversationId: 'telegram:5512345678',
    entry: { atMs: n, role: 'citizen', text: `tin nhắn ${n}` },
    atMs: n,
  };
}

/** Runs the EventBus contract against `makeFresh`. */
export function describeEventBusContract(name: string, makeFresh: () => Promise<Fresh<EventBus>>): void {
  describe(`EventBus contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(): Promise<Fresh<EventBus>> {
      const f = await makeFresh();
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('publishing with nobody listening is fine', async () => {
      const { impl } = await fresh();
      await expect(impl.publish(event(1))).resolves.toBeUndefined();
    });

    it('delivers published events to every subscriber, in order', async () => {
      const { impl } = await fresh();
      const a: LiveEvent[] = [];
      const b: LiveEvent[] = [];
      await impl.subscribe((e) => a.push(e));
      await impl.subscribe((e) => b.push(e));
      await impl.publish(event(1));
      await impl.publish({ type: 'queue', conversationId: 'web:x', atMs: 2 });
      await waitFor(() => a.length === 2 && b.length === 2, 2_000, 'both events');
      expect(a).toEqual([event(1), { type: 'queue', conversationId: 'web:x', atMs: 2 }]);
      expect(b).toEqual(a);
    });

    it('stops delivering after unsubscribe', async () => {
      const { impl } = await fresh();
      const gone: LiveEvent[] = [];
      const kept: LiveEvent[] = [];
      const unsubscribe = await impl.subscribe((e) => gone.push(e));
      await impl.subscribe((e) => kept.push(e));
      await impl.publish(event(1));
      await waitFor(() => gone.length === 1 && kept.length === 1, 2_000, 'first event');
      await unsubscribe();
      await impl.publish(event(2));
      await waitFor(() => kept.length === 2, 2_000, 'second event');
      await sleep(20);
      expect(gone).toEqual([event(1)]);
    });

    it('keeps delivering to others when a listener throws', async () => {
      const { impl } = await fresh();
      const got: LiveEvent[] = [];
      await impl.subscribe(() => {
        throw new Error('listener bug');
      });
      await impl.subscribe((e) => got.push(e));
      await expect(impl.publish(event(1))).resolves.toBeUndefined();
      await waitFor(() => got.length === 1, 2_000, 'event despite a failing listener');
    });

    it('reaches subscribers of another instance', async () => {
      const f = await fresh();
      if (!f.sibling) return;
      const other = await f.sibling();
      const got: LiveEvent[] = [];
      await other.subscribe((e) => got.push(e));
      await f.impl.publish(event(7));
      await waitFor(() => got.length === 1, 2_000, 'cross-instance event');
      expect(got[0]).toEqual(event(7));
    });
  });
}
