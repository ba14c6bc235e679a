/**
 * The behaviour every WebOutboxStore must show (memory and Redis alike). No timing
 * assertions: a wait is only checked to resolve, never how fast.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebOutboxDraft, WebOutboxStore } from '../../src/core/ports.ts';
import { advance, deferred, waitFor, type Fresh } from './contract-support.ts';

/** What the contract asks of a fresh outbox. */
export interface WebOutboxOptions {
  /** Messages kept per session. */
  readonly maxItems: number;
  /** Idle lifetime of a session's outbox, ms. */
  readonly ttlMs: number;
}

/** A fresh outbox, and (for the cross-instance test) how many waits are pending on an instance. */
export type WebOutboxFresh = Fresh<WebOutboxStore & { readonly waitingCount: number }>;

function draft(n: number, extra: Partial<WebOutboxDraft> = {}): WebOutboxDraft {
  return { text: `Tin nhắn số ${n} — “đặc biệt” <b>&</b>`, buttons: [], menuSeq: 0, atMs: 1_750_000_000_000 + n, ...extra };
}

/** A wait and whether it is over yet (checked, never timed). */
function track(promise: Promise<void>): { promise: Promise<void>; readonly settled: boolean } {
  const t = { promise, settled: false };
  void promise.then(() => {
    t.settled = true;
  });
  return t;
}

/** Runs the WebOutboxStore contract against `makeFresh`. */
export function describeWebOutboxContract(name: string, makeFresh: (options: WebOutboxOptions) => Promise<WebOutboxFresh>): void {
  describe(`WebOutboxStore contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(options: Partial<WebOutboxOptions> = {}): Promise<WebOutboxFresh> {
      const f = await makeFresh({ maxItems: 5, ttlMs: 60_000, ...options });
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('an unknown session has cursor 0 and nothing to read', async () => {
      const { impl } = await fresh();
      expect(await impl.cursor('session-unknown-0001')).toBe(0);
      expect(await impl.read('session-unknown-0001', 0)).toEqual({ items: [], cursor: 0 });
    });

    it('numbers messages from 1 per session and reads those after a seq, in order', async () => {
      const { impl } = await fresh();
      const buttons = [
        { kind: 'option' as const, label: 'Tiếp theo', index: 1 },
        { kind: 'url' as const, label: 'Cổng DVC', url: 'https://dichvucong.gov.vn' },
      ];
      expect(await impl.append('session-a-00000001', draft(1))).toBe(1);
      expect(await impl.append('session-a-00000001', draft(2, { buttons, menuSeq: 3 }))).toBe(2);
      expect(await impl.append('session-b-00000001', draft(3))).toBe(1);
      expect(await impl.append('session-a-00000001', draft(4))).toBe(3);

      expect(await impl.cursor('session-a-00000001')).toBe(3);
      expect(await impl.cursor('session-b-00000001')).toBe(1);
      const all = await impl.read('session-a-00000001', 0);
      expect(all).toEqual({
        items: [
          { seq: 1, ...draft(1) },
          { seq: 2, ...draft(2, { buttons, menuSeq: 3 }) },
          { seq: 3, ...draft(4) },
        ],
        cursor: 3,
      });
      expect(await impl.read('session-a-00000001', 2)).toEqual({ items: [{ seq: 3, ...draft(4) }], cursor: 3 });
      expect(await impl.read('session-a-00000001', 3)).toEqual({ items: [], cursor: 3 });
    });

    it('a seq past the latest (the numbering started again) reads every kept message, and a wait on it ends at once', async () => {
      const { impl } = await fresh();
      for (let n = 1; n <= 2; n++) await impl.append('session-reset-001', draft(n));
      expect(await impl.read('session-reset-001', 10)).toEqual({ items: [{ seq: 1, ...draft(1) }, { seq: 2, ...draft(2) }], cursor: 2 });
      await impl.wait('session-reset-001', 10, 600_000); // would hang the test if it waited for seq 11
      await impl.wait('session-unknown-reset', 7, 600_000);
      expect(await impl.read('session-unknown-reset', 7)).toEqual({ items: [], cursor: 0 });
    });

    it('keeps only the last maxItems messages; seqs keep counting', async () => {
      const { impl } = await fresh({ maxItems: 3 });
      for (let n = 1; n <= 7; n++) expect(await impl.append('session-trim-0001', draft(n))).toBe(n);
      const page = await impl.read('session-trim-0001', 0);
      expect(page.cursor).toBe(7);
      expect(page.items.map((i) => i.seq)).toEqual([5, 6, 7]);
      expect(page.items.map((i) => i.text)).toEqual([draft(5).text, draft(6).text, draft(7).text]);
      expect((await impl.read('session-trim-0001', 5)).items.map((i) => i.seq)).toEqual([6, 7]);
    });

    it('clear drops the kept messages; the seq goes on', async () => {
      const { impl } = await fresh();
      for (let n = 1; n <= 3; n++) await impl.append('session-clear-001', draft(n));
      await impl.clear('session-clear-001');
      expect(await impl.read('session-clear-001', 0)).toEqual({ items: [], cursor: 3 });
      expect(await impl.append('session-clear-001', draft(4))).toBe(4);
      expect((await impl.read('session-clear-001', 0)).items.map((i) => i.seq)).toEqual([4]);
      await impl.clear('session-never-seen');
      expect(await impl.cursor('session-never-seen')).toBe(0);
    });

    it('hands back copies: changing what was read or appended changes nothing stored', async () => {
      const { impl } = await fresh();
      const item = { ...draft(1), buttons: [{ kind: 'option' as const, label: 'Một', index: 1 }] };
      await impl.append('session-copy-0001', item);
      (item.buttons as { label: string }[])[0]!.label = 'đổi';
      const first = await impl.read('session-copy-0001', 0);
      (first.items[0] as { text: string }).text = 'đổi';
      expect((await impl.read('session-copy-0001', 0)).items[0]).toEqual({ seq: 1, ...draft(1), buttons: [{ kind: 'option', label: 'Một', index: 1 }] });
    });

    it('wait resolves at once when a newer message is already there', async () => {
      const { impl } = await fresh();
      await impl.append('session-ready-0001', draft(1));
      await impl.wait('session-ready-0001', 0, 60_000);
    });

    it('wait resolves when a message is appended', async () => {
      const f = await fresh();
      const waiting = track(f.impl.wait('session-wake-0001', 0, 60_000));
      await waitFor(() => f.impl.waitingCount === 1, 5_000, 'the wait to be registered');
      await f.impl.append('session-other-0001', draft(1)); // another session does not wake it
      expect(waiting.settled).toBe(false);
      await f.impl.append('session-wake-0001', draft(2));
      await waiting.promise;
      expect(f.impl.waitingCount).toBe(0);
      expect((await f.impl.read('session-wake-0001', 0)).items.map((i) => i.text)).toEqual([draft(2).text]);
    });

    it('wait resolves when the timeout passes with nothing new', async () => {
      const { impl } = await fresh();
      await impl.append('session-timeout-01', draft(1));
      await impl.wait('session-timeout-01', 1, 30);
      await impl.wait('session-never-used', 0, 30);
      expect(impl.waitingCount).toBe(0);
    });

    it('wait resolves when its signal aborts, or at once when already aborted', async () => {
      const { impl } = await fresh();
      const controller = new AbortController();
      const waiting = impl.wait('session-abort-0001', 0, 60_000, controller.signal);
      controller.abort();
      await waiting;
      await impl.wait('session-abort-0001', 0, 60_000, controller.signal);
      expect(impl.waitingCount).toBe(0);
    });

    it('a message appended through another instance wakes a wait', async () => {
      const f = await fresh();
      if (!f.sibling) return;
      const other = await f.sibling();
      const gate = deferred();
      const waiting = f.impl.wait('session-cross-0001', 0, 60_000).then(() => gate.resolve());
      await waitFor(() => f.impl.waitingCount === 1, 5_000, 'the wait to be registered');
      expect(await other.append('session-cross-0001', draft(1))).toBe(1);
      await gate.promise;
      await waiting;
      expect((await f.impl.read('session-cross-0001', 0)).items.map((i) => i.text)).toEqual([draft(1).text]);
    });

    it('keepAtLeastMs: a greeting is kept that long, and never shortens a longer life', async () => {
      const f = await fresh({ ttlMs: 60_000 });
      await f.impl.append('session-greeting-01', draft(1), 200);
      await f.impl.append('session-talking-01', draft(1)); // the full lifetime
      await f.impl.append('session-talking-01', draft(2), 200); // a later greeting (page reload) keeps it
      await advance(f, 500);
      expect(await f.impl.cursor('session-greeting-01')).toBe(0);
      expect((await f.impl.read('session-talking-01', 0)).items).toHaveLength(2);
    });

    it('forgets a session ttlMs after its last message', async () => {
      const f = await fresh({ ttlMs: 200 });
      await f.impl.append('session-ttl-00001', draft(1));
      await advance(f, 500);
      expect(await f.impl.cursor('session-ttl-00001')).toBe(0);
      expect(await f.impl.read('session-ttl-00001', 0)).toEqual({ items: [], cursor: 0 });
      expect(await f.impl.append('session-ttl-00001', draft(2))).toBe(1);
    });
  });
}
