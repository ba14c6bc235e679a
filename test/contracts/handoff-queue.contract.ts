/**
 * The behaviour every HandoffQueue must show (memory and Redis alike).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HandoffQueue, HandoffTicket } from '../../src/core/ports.ts';
import type { ConversationId } from '../../src/core/types.ts';
import type { Fresh } from './contract-support.ts';

type NewTicket = Omit<HandoffTicket, 'status' | 'owner' | 'claimedAtMs'>;

function ticket(id: ConversationId, waitingSinceMs: number, extra: Partial<NewTicket> = {}): NewTicket {
  return { id, channel: 'telegram', waitingSinceMs, reason: 'citizen asked', ...extra };
}

/** Runs the HandoffQueue contract against `makeFresh` (an empty queue each time). */
export function describeHandoffQueueContract(name: string, makeFresh: () => Promise<Fresh<HandoffQueue>>): void {
  describe(`HandoffQueue contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(): Promise<Fresh<HandoffQueue>> {
      const f = await makeFresh();
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('orders waiting tickets by waitingSinceMs, not by arrival', async () => {
      const { impl: q } = await fresh();
      expect(await q.enqueue(ticket('telegram:b', 2_000))).toBe(1);
      expect(await q.enqueue(ticket('telegram:a', 1_000))).toBe(1);
      expect(await q.enqueue(ticket('telegram:c', 3_000))).toBe(3);
      expect(await q.position('telegram:a')).toBe(1);
      expect(await q.position('telegram:b')).toBe(2);
      expect(await q.position('telegram:c')).toBe(3);
      expect(await q.position('telegram:none')).toBeNull();
    });

    it('stores the ticket as waiting with its fields', async () => {
      const { impl: q } = await fresh();
      const t = ticket('zalo-oa:42', 1_000, {
        channel: 'zalo-oa',
        guideId: 'khai-sinh',
        lastMessage: 'cho tôi gặp cán bộ',
        lastMessageAtMs: 1_001,
        caseId: 'rs-1a2b',
        displayName: 'Trần Văn Bình',
        title: 'làm giấy khai sinh cho con',
      });
      await q.enqueue(t);
      expect(await q.get('zalo-oa:42')).toEqual({ ...t, status: 'waiting' });
      expect(await q.get('zalo-oa:none')).toBeNull();
    });

    it('keeps an existing ticket on a second enqueue instead of duplicating it', async () => {
      const { impl: q } = await fresh();
      await q.enqueue(ticket('telegram:a', 1_000));
      await q.enqueue(ticket('telegram:b', 2_000));
      expect(await q.enqueue(ticket('telegram:b', 500, { reason: 'again' }))).toBe(2);
      expect(await q.get('telegram:b')).toMatchObject({ waitingSinceMs: 2_000, reason: 'citizen asked' });
      expect((await q.list()).map((t) => t.id)).toEqual(['telegram:a', 'telegram:b']);
    });

    it('claims a waiting ticket for one staff member', async () => {
      const { impl: q } = await fresh();
      await q.enqueue(ticket('telegram:a', 1_000));
      await q.enqueue(ticket('telegram:b', 2_000));
      const won = await q.claim('telegram:a', 'lan', 5_000);
      expect(won).toEqual({
        ok: true,
        ticket: { ...ticket('telegram:a', 1_000), status: 'active', owner: 'lan', claimedAtMs: 5_000 },
      });
      expect(await q.position('telegram:a')).toBeNull();
      expect(await q.position('telegram:b')).toBe(1);
      expect(await q.claim('telegram:a', 'minh', 6_000)).toEqual({ ok: false, reason: 'taken', owner: 'lan' });
      expect(await q.claim('telegram:none', 'minh', 6_000)).toEqual({ ok: false, reason: 'missing' });
      expect(await q.enqueue(ticket('telegram:a', 9_000))).toBe(0); // active: kept, not re-queued
      expect(await q.get('telegram:a')).toMatchObject({ status: 'active', owner: 'lan' });
    });

    it('lets exactly one of two concurrent claims win', async () => {
      const f = await fresh();
      const other = f.sibling ? await f.sibling() : f.impl;
      for (let round = 0; round < 10; round++) {
        const id: ConversationId = `web:race-${round}`;
        await f.impl.enqueue(ticket(id, round));
        const [x, y] = await Promise.all([f.impl.claim(id, 'lan', 10), other.claim(id, 'minh', 11)]);
        const wins = [x, y].filter((r) => r.ok);
        expect(wins).toHaveLength(1);
        const winner = x.ok ? 'lan' : 'minh';
        const loser = x.ok ? y : x;
        expect(loser).toEqual({ ok: false, reason: 'taken', owner: winner });
        expect(await f.impl.get(id)).toMatchObject({ status: 'active', owner: winner });
      }
    });

    it('releases only by the owner, back to the old place', async () => {
      const { impl: q } = await fresh();
      await q.enqueue(ticket('telegram:a', 1_000));
      await q.enqueue(ticket('telegram:b', 2_000));
      await q.enqueue(ticket('telegram:c', 3_000));
      await q.claim('telegram:b', 'lan', 5_000);
      await q.enqueue(ticket('telegram:d', 4_000));
      expect(await q.release('telegram:b', 'minh')).toBe(false);
      expect(await q.release('telegram:a', 'lan')).toBe(false); // waiting, not active
      expect(await q.release('telegram:none', 'lan')).toBe(false);
      expect(await q.release('telegram:b', 'lan')).toBe(true);
      expect(await q.position('telegram:b')).toBe(2);
      const b = await q.get('telegram:b');
      expect(b).toEqual({ ...ticket('telegram:b', 2_000), status: 'waiting' });
      expect(b?.owner).toBeUndefined();
      expect(b?.claimedAtMs).toBeUndefined();
      expect((await q.claim('telegram:b', 'minh', 6_000)).ok).toBe(true);
    });

    it('transfers an active ticket only from its owner, keeping the waiting time', async () => {
      const { impl: q } = await fresh();
      await q.enqueue(ticket('telegram:a', 1_000));
      await q.enqueue(ticket('telegram:b', 2_000));
      expect(await q.transfer('telegram:a', 'lan', 'hoa', 4_000)).toBe(false); // still waiting
      await q.claim('telegram:a', 'lan', 5_000);
      expect(await q.transfer('telegram:a', 'hoa', 'minh', 6_000)).toBe(false); // not the owner
      expect(await q.transfer('telegram:a', 'lan', 'hoa', 7_000)).toBe(true);
      expect(await q.get('telegram:a')).toMatchObject({ status: 'active', owner: 'hoa', claimedAtMs: 7_000, waitingSinceMs: 1_000 });
      expect(await q.release('telegram:a', 'lan')).toBe(false);
      expect(await q.release('telegram:a', 'hoa')).toBe(true);
      expect(await q.position('telegram:a')).toBe(1);
      expect(await q.transfer('telegram:none', 'lan', 'hoa', 8_000)).toBe(false);
    });

    it('lists waiting tickets oldest first, then active ones', async () => {
      const { impl: q } = await fresh();
      await q.enqueue(ticket('telegram:c', 3_000));
      await q.enqueue(ticket('telegram:a', 1_000));
      await q.enqueue(ticket('telegram:d', 4_000));
      await q.enqueue(ticket('telegram:b', 2_000));
      await q.claim('telegram:c', 'lan', 5_000);
      await q.claim('telegram:a', 'minh', 6_000);
      const list = await q.list();
      expect(list.map((t) => [t.id, t.status])).toEqual([
        ['telegram:b', 'waiting'],
        ['telegram:d', 'waiting'],
        ['telegram:c', 'active'],
        ['telegram:a', 'active'],
      ]);
    });

    it('touches the last message of an existing ticket only', async () => {
      const { impl: q } = await fresh();
      await q.enqueue(ticket('telegram:a', 1_000));
      await q.touch('telegram:a', 'Tôi cần làm lại CCCD', 7_000);
      expect(await q.get('telegram:a')).toMatchObject({ lastMessage: 'Tôi cần làm lại CCCD', lastMessageAtMs: 7_000 });
      await q.touch('telegram:none', 'hello', 7_000);
      expect(await q.get('telegram:none')).toBeNull();
      expect(await q.list()).toHaveLength(1);
    });

    it('removes a waiting or active ticket', async () => {
      const { impl: q } = await fresh();
      await q.enqueue(ticket('telegram:a', 1_000));
      await q.enqueue(ticket('telegram:b', 2_000));
      await q.claim('telegram:b', 'lan', 5_000);
      expect(await q.remove('telegram:a')).toBe(true);
      expect(await q.remove('telegram:b')).toBe(true);
      expect(await q.remove('telegram:a')).toBe(false);
      expect(await q.list()).toEqual([]);
      expect(await q.position('telegram:a')).toBeNull();
      expect(await q.get('telegram:b')).toBeNull();
      expect(await q.enqueue(ticket('telegram:b', 9_000))).toBe(1); // can come back afresh
    });

    it('keeps its counts as it changes: waiting, active, the oldest wait and the sum for the mean', async () => {
      const { impl: q } = await fresh();
      expect(await q.counts()).toEqual({ waiting: 0, active: 0, oldestWaitingSinceMs: null, waitingSinceSumMs: 0 });
      await q.enqueue(ticket('telegram:a', 1_000));
      await q.enqueue(ticket('telegram:b', 2_000));
      await q.enqueue(ticket('telegram:c', 4_000));
      await q.enqueue(ticket('telegram:b', 2_000)); // again: counted once
      expect(await q.counts()).toEqual({ waiting: 3, active: 0, oldestWaitingSinceMs: 1_000, waitingSinceSumMs: 7_000 });
      await q.claim('telegram:a', 'lan', 5_000);
      expect(await q.counts()).toEqual({ waiting: 2, active: 1, oldestWaitingSinceMs: 2_000, waitingSinceSumMs: 6_000 });
      await q.release('telegram:a', 'lan');
      await q.remove('telegram:c');
      expect(await q.counts()).toEqual({ waiting: 2, active: 0, oldestWaitingSinceMs: 1_000, waitingSinceSumMs: 3_000 });
      await q.claim('telegram:a', 'lan', 6_000);
      await q.remove('telegram:b');
      expect(await q.counts()).toEqual({ waiting: 0, active: 1, oldestWaitingSinceMs: null, waitingSinceSumMs: 0 });
      expect(await q.ids()).toEqual(['telegram:a']);
    });

    it('gives pages of one status in queue order, with the total of that status', async () => {
      const { impl: q } = await fresh();
      for (let i = 0; i < 7; i++) await q.enqueue(ticket(`telegram:${i}`, 1_000 + i));
      await q.claim('telegram:3', 'lan', 9_000);
      const first = await q.page('waiting', 0, 4);
      expect(first.total).toBe(6);
      expect(first.tickets.map((t) => t.id)).toEqual(['telegram:0', 'telegram:1', 'telegram:2', 'telegram:4']);
      expect((await q.page('waiting', 4, 4)).tickets.map((t) => t.id)).toEqual(['telegram:5', 'telegram:6']);
      expect(await q.page('active', 0, 10)).toEqual({ total: 1, tickets: [expect.objectContaining({ id: 'telegram:3', status: 'active', owner: 'lan' })] });
      expect(await q.ids()).toEqual(['telegram:0', 'telegram:1', 'telegram:2', 'telegram:4', 'telegram:5', 'telegram:6', 'telegram:3']);
    });

    it('sweeps the tickets whose citizen left (nothing from them for idleMs), waiting or active', async () => {
      const { impl: q } = await fresh();
      await q.enqueue(ticket('telegram:left', 1_000, { caseId: 'c-left' }));
      await q.enqueue(ticket('telegram:wrote', 1_000));
      await q.touch('telegram:wrote', 'còn đây', 50_000);
      await q.enqueue(ticket('telegram:held', 2_000));
      await q.claim('telegram:held', 'lan', 3_000);
      await q.enqueue(ticket('telegram:new', 60_000));
      expect((await q.sweep(70_000, 30_000)).map((t) => t.id).sort()).toEqual(['telegram:held', 'telegram:left']);
      expect(await q.ids()).toEqual(['telegram:wrote', 'telegram:new']);
      expect(await q.sweep(70_000, 30_000)).toEqual([]);
      await q.enqueue(ticket('telegram:late', 2_000, { caseId: 'c-late' }));
      expect(await q.sweep(70_000, 30_000)).toEqual([{ id: 'telegram:late', caseId: 'c-late' }]);
      expect(await q.counts()).toMatchObject({ waiting: 2, active: 0, waitingSinceSumMs: 61_000 });
    });
  });
}
