/**
 * The behaviour every ConversationStore must show (memory and Redis alike).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LockTimeoutError } from '../../src/core/errors.ts';
import type { ConversationStore } from '../../src/core/ports.ts';
import type { ConversationId, ConversationState, TranscriptEntry } from '../../src/core/types.ts';
import { advance, deferred, sleep, type Fresh } from './contract-support.ts';

/** Settings a contract test may ask of a fresh store. */
export interface ConversationStoreFreshOptions {
  /** Conversation TTL, ms (default: long). */
  readonly ttlMs?: number;
  /** TTL of a conversation still at its greeting, ms (default: as ttlMs). */
  readonly greetingTtlMs?: number;
  /** Transcript bound (default 50). */
  readonly transcriptMax?: number;
}

/** A typical idle conversation state. */
export function sampleState(id: ConversationId = 'telegram:5512345678', nowMs = 1_750_000_000_000): ConversationState {
  return {
    id,
    channel: 'telegram',
    chatId: id.slice(id.indexOf(':') + 1),
    lang: 'vi',
    mode: 'bot',
    guideId: 'cap-doi-can-cuoc',
    step: 2,
    options: ['guide:cap-doi-can-cuoc:step:3', 'guide:cap-doi-can-cuoc:done', 'handoff:ask'],
    menuSeq: 4,
    fallbacks: 0,
    createdAtMs: nowMs - 120_000,
    updatedAtMs: nowMs,
  };
}

function line(i: number, role: TranscriptEntry['role'] = 'citizen'): TranscriptEntry {
  return { atMs: 1_750_000_000_000 + i, role, text: `dòng ${i}: làm căn cước ở đâu?` };
}

/**
 * Runs the ConversationStore contract against `makeFresh`, which must return an empty store
 * honouring the options (and, for TTL tests, an `advance` that lets time pass).
 */
export function describeConversationStoreContract(
  name: string,
  makeFresh: (options: ConversationStoreFreshOptions) => Promise<Fresh<ConversationStore>>,
): void {
  describe(`ConversationStore contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(options: ConversationStoreFreshOptions = {}): Promise<Fresh<ConversationStore>> {
      const f = await makeFresh(options);
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('has no state or transcript for an unknown conversation', async () => {
      const { impl } = await fresh();
      expect(await impl.get('web:nobody')).toBeNull();
      expect(await impl.transcript('web:nobody')).toEqual([]);
    });

    it('saves and reads back the state; a later save replaces it', async () => {
      const { impl } = await fresh();
      const state = sampleState();
      await impl.save(state);
      expect(await impl.get(state.id)).toEqual(state);
      await impl.save({ ...state, mode: 'waiting', step: 3, pending: 'handoff-confirm' });
      expect(await impl.get(state.id)).toMatchObject({ mode: 'waiting', step: 3, pending: 'handoff-confirm' });
    });

    it('keeps what was saved, not the caller object', async () => {
      const { impl } = await fresh();
      const state = sampleState();
      await impl.save(state);
      state.options.push('changed later');
      state.mode = 'staff';
      const read = await impl.get(state.id);
      expect(read?.options).toHaveLength(3);
      expect(read?.mode).toBe('bot');
    });

    it('appends to the transcript, oldest first', async () => {
      const { impl } = await fresh();
      const id: ConversationId = 'zalo-bot:abc';
      await impl.appendTranscript(id, [line(1), line(2, 'bot')]);
      await impl.appendTranscript(id, [line(3)]);
      await impl.appendTranscript(id, []);
      expect(await impl.transcript(id)).toEqual([line(1), line(2, 'bot'), line(3)]);
    });

    it('bounds the transcript to the last transcriptMax lines', async () => {
      const { impl } = await fresh({ transcriptMax: 5 });
      const id: ConversationId = 'web:bounded';
      for (let i = 1; i <= 4; i++) await impl.appendTranscript(id, [line(i)]);
      await impl.appendTranscript(id, [line(5), line(6), line(7), line(8)]);
      expect((await impl.transcript(id)).map((e) => e.atMs % 100)).toEqual([4, 5, 6, 7, 8]);
      await impl.appendTranscript(id, Array.from({ length: 12 }, (_, i) => line(20 + i)));
      expect((await impl.transcript(id)).map((e) => e.atMs % 100)).toEqual([27, 28, 29, 30, 31]);
    });

    it('saves the state and appends transcript lines in one call, bounded like appendTranscript', async () => {
      const { impl } = await fresh({ transcriptMax: 3 });
      const state = sampleState('web:turn');
      await impl.save(state, [line(1), line(2, 'bot')]);
      expect(await impl.get(state.id)).toEqual(state);
      expect(await impl.transcript(state.id)).toEqual([line(1), line(2, 'bot')]);
      await impl.save({ ...state, step: 3 }, [line(3), line(4, 'bot')]);
      expect(await impl.get(state.id)).toMatchObject({ step: 3 });
      expect((await impl.transcript(state.id)).map((e) => e.atMs % 100)).toEqual([2, 3, 4]);
      await impl.save(state, []);
      expect(await impl.transcript(state.id)).toHaveLength(3);
    });

    it('erases state and transcript of one conversation only', async () => {
      const { impl } = await fresh();
      const a = sampleState('telegram:1');
      const b = sampleState('telegram:2');
      await impl.save(a);
      await impl.save(b);
      await impl.appendTranscript(a.id, [line(1)]);
      await impl.appendTranscript(b.id, [line(2)]);
      await impl.erase(a.id);
      expect(await impl.get(a.id)).toBeNull();
      expect(await impl.transcript(a.id)).toEqual([]);
      expect(await impl.get(b.id)).toEqual(b);
      expect(await impl.transcript(b.id)).toEqual([line(2)]);
      await impl.erase('telegram:never'); // erasing nothing is fine
    });

    it('expires state and transcript together, and activity refreshes both', async () => {
      // Margins of 250 ms or more, so a busy machine's late timers do not matter (Redis runs in real time).
      const f = await fresh({ ttlMs: 600 });
      const state = sampleState('web:ttl');
      await f.impl.save(state);
      await f.impl.appendTranscript(state.id, [line(1)]);
      await advance(f, 350);
      await f.impl.appendTranscript(state.id, [line(2)]); // activity: refreshes the state too
      await advance(f, 350); // 700 ms after the save: alive only thanks to the refresh
      expect(await f.impl.get(state.id)).toEqual(state);
      await f.impl.save(state); // activity: refreshes the transcript too
      await advance(f, 350);
      expect(await f.impl.transcript(state.id)).toHaveLength(2);
      await advance(f, 650);
      expect(await f.impl.get(state.id)).toBeNull();
      expect(await f.impl.transcript(state.id)).toEqual([]);
    });

    it('keeps a conversation that never got past the greeting only greetingTtlMs, and the full TTL once it did', async () => {
      const f = await fresh({ ttlMs: 60_000, greetingTtlMs: 400 });
      const greeted: ConversationState = { ...sampleState('web:greeted-only'), greetingOnly: true };
      const talking = sampleState('web:talking');
      await f.impl.save(greeted, [line(1, 'bot')]);
      await f.impl.appendTranscript(greeted.id, [line(2, 'bot')]); // still greeting only: no longer life
      await f.impl.save({ ...greeted, id: talking.id, chatId: 'talking' }, [line(1, 'bot')]);
      await f.impl.save(talking, [line(2)]); // got past the greeting: the full TTL again
      await advance(f, 800);
      expect(await f.impl.get(greeted.id)).toBeNull();
      expect(await f.impl.transcript(greeted.id)).toEqual([]);
      expect(await f.impl.get(talking.id)).toEqual(talking);
      expect(await f.impl.transcript(talking.id)).toHaveLength(2);
    });

    it('de-duplicates inbound messages within ttlMs', async () => {
      const f = await fresh();
      expect(await f.impl.markSeen('telegram:update:1', 300)).toBe(true);
      expect(await f.impl.markSeen('telegram:update:1', 300)).toBe(false);
      expect(await f.impl.markSeen('telegram:update:2', 300)).toBe(true);
      await advance(f, 450);
      expect(await f.impl.markSeen('telegram:update:1', 300)).toBe(true);
    });

    it('withLock returns the result of fn, passes its error on and frees the lock', async () => {
      const { impl } = await fresh();
      expect(await impl.withLock('web:x', async () => 42)).toBe(42);
      await expect(impl.withLock('web:x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await impl.withLock('web:x', async () => 'again', 1_000)).toBe('again');
    });

    it('withLock hands fn the state as stored when the lock was taken (null when none)', async () => {
      const { impl } = await fresh();
      const state = sampleState('web:locked');
      expect(await impl.withLock(state.id, async (current) => current)).toBeNull();
      await impl.withLock(state.id, async () => impl.save(state));
      expect(await impl.withLock(state.id, async (current) => current)).toEqual(state);
      const first = impl.withLock(state.id, async () => impl.save({ ...state, step: 7 }));
      const second = impl.withLock(state.id, async (current) => current?.step);
      await first;
      expect(await second).toBe(7); // read after the previous holder's save, not before
    });

    it('withLockOnce runs fn under the lock the first time a message key is seen, never again within ttlMs', async () => {
      const f = await fresh();
      const state = sampleState('telegram:once');
      await f.impl.save(state);
      const runs: string[] = [];
      const first = await f.impl.withLockOnce(state.id, 'update:1', 300, async (current) => {
        runs.push('a');
        return current?.menuSeq;
      });
      expect(first).toEqual({ first: true, value: state.menuSeq });
      expect(await f.impl.withLockOnce(state.id, 'update:1', 300, async () => runs.push('again'))).toEqual({ first: false });
      await expect(f.impl.withLockOnce(state.id, 'update:2', 300, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await f.impl.withLockOnce(state.id, 'update:2', 300, async () => runs.push('retry'))).toEqual({ first: false }); // recorded even though fn failed
      expect((await f.impl.withLockOnce('telegram:other', 'update:1', 300, async () => 'other')).first).toBe(true); // per conversation
      expect(runs).toEqual(['a']);
      expect(await f.impl.withLock(state.id, async () => 'lock free')).toBe('lock free');
      await advance(f, 450);
      expect(await f.impl.withLockOnce(state.id, 'update:1', 300, async () => 'later')).toEqual({ first: true, value: 'later' });
    });

    it('saveOnRelease writes the turn (state and bounded transcript) with the release, before the next holder reads', async () => {
      const { impl } = await fresh({ transcriptMax: 3 });
      const state = sampleState('telegram:release');
      let second: Promise<number | undefined> | undefined;
      const first = impl.withLockOnce(state.id, 'update:1', 60_000, async (current, saveOnRelease) => {
        expect(current).toBeNull();
        second = impl.withLock(state.id, async (now) => now?.step); // queued behind this turn
        await new Promise((r) => setTimeout(r, 20));
        saveOnRelease({ ...state, step: 1 }, [line(1)]); // the last call wins
        saveOnRelease({ ...state, step: 2 }, [line(1), line(2, 'bot'), line(3, 'bot'), line(4, 'bot')]);
        return 'done';
      });
      expect(await first).toEqual({ first: true, value: 'done' });
      expect(await second).toBe(2); // waited for the write, not only for fn
      expect(await impl.get(state.id)).toEqual({ ...state, step: 2 });
      expect((await impl.transcript(state.id)).map((e) => e.atMs % 100)).toEqual([2, 3, 4]);
      // Released: another turn takes the lock at once.
      expect(await impl.withLock(state.id, async () => 'free', 1_000)).toBe('free');
    });

    it('saveOnRelease writes nothing when fn fails, and the lock is still freed', async () => {
      const { impl } = await fresh();
      const state = sampleState('web:release-fail');
      await expect(
        impl.withLock(state.id, async (_current, saveOnRelease) => {
          saveOnRelease(state, [line(1)]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await impl.get(state.id)).toBeNull();
      expect(await impl.transcript(state.id)).toEqual([]);
      expect(await impl.withLock(state.id, async () => 'free', 1_000)).toBe('free');
    });

    it('runs 20 concurrent withLock calls on one id one at a time, in call order', async () => {
      const { impl } = await fresh();
      const started: number[] = [];
      let active = 0;
      let maxActive = 0;
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          impl.withLock('telegram:busy', async () => {
            started.push(i);
            active++;
            maxActive = Math.max(maxActive, active);
            await sleep(i % 3);
            active--;
          }),
        ),
      );
      expect(maxActive).toBe(1);
      expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('does not make different conversations wait for each other', async () => {
      const { impl } = await fresh();
      const bRan = deferred();
      const a = impl.withLock('web:a', async () => {
        await bRan.promise; // would dead-lock if b waited for a
        return 'a';
      });
      const b = impl.withLock('web:b', async () => {
        bRan.resolve();
        return 'b';
      });
      expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    });

    it('throws LockTimeoutError after waitMs, without running fn, and recovers', async () => {
      const { impl } = await fresh();
      const hold = deferred();
      const holder = impl.withLock('web:held', () => hold.promise);
      let ran = false;
      const startedMs = Date.now();
      const waiting = impl.withLock('web:held', async () => {
        ran = true;
      }, 150);
      await expect(waiting).rejects.toBeInstanceOf(LockTimeoutError);
      expect(Date.now() - startedMs).toBeLessThan(1_500);
      expect(ran).toBe(false);
      hold.resolve();
      await holder;
      expect(await impl.withLock('web:held', async () => 'free', 1_000)).toBe('free');
    });

    it('never interleaves fn of one conversation across two instances', async () => {
      const f = await fresh();
      if (!f.sibling) return;
      const other = await f.sibling();
      let active = 0;
      let maxActive = 0;
      let runs = 0;
      await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          (i % 2 === 0 ? f.impl : other).withLock('telegram:shared', async () => {
            active++;
            maxActive = Math.max(maxActive, active);
            await sleep(3);
            runs++;
            active--;
          }, 10_000),
        ),
      );
      expect(runs).toBe(16);
      expect(maxActive).toBe(1);

      const hold = deferred();
      const holder = f.impl.withLock('telegram:shared', () => hold.promise);
      await sleep(20);
      await expect(other.withLock('telegram:shared', async () => 'no', 150)).rejects.toBeInstanceOf(LockTimeoutError);
      hold.resolve();
      await holder;
      expect(await other.withLock('telegram:shared', async () => 'yes', 2_000)).toBe('yes');
    });

    it('answers ping', async () => {
      const { impl } = await fresh();
      expect(await impl.ping()).toBe(true);
    });
  });
}
